// Only this much of a heading or name is cleaned: the name keeps 128 characters anyway, and the
// patterns here take quadratic time on a hostile line that is megabytes long.
const MAX_SCANNED = 1024;

/**
 * A name for an uploaded package that was sent without one: the card's `model-index` name, else its
 * first level-one heading. Undefined when the card offers neither.
 */
export function nameFromCard(readme: string | undefined, metadata: Record<string, unknown> | undefined): string | undefined {
  const indexed = modelIndexName(metadata);
  if (indexed !== undefined) return indexed;
  if (readme === undefined) return undefined;
  const body = readme
    .replace(/^---\r?\n[\s\S]*?\r?\n---(?:\r?\n|$)/, '')
    // A "# comment" inside a fenced code block is not a heading.
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const heading = /^#[ \t]+(.*)$/m.exec(body)?.[1];
  return heading === undefined ? undefined : cleanName(heading.slice(0, MAX_SCANNED).replace(/[ \t#]+$/, ''));
}

function modelIndexName(metadata: Record<string, unknown> | undefined): string | undefined {
  const index = metadata?.['model-index'];
  if (!Array.isArray(index)) return undefined;
  const first: unknown = index[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const name = (first as Record<string, unknown>)['name'];
  return typeof name === 'string' ? cleanName(name) : undefined;
}

function cleanName(raw: string): string | undefined {
  const name = raw
    .slice(0, MAX_SCANNED)
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    // Underscores inside a word are part of names such as bert_base_uncased, not emphasis.
    .replace(/[*`[\]]|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])/g, '')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .slice(0, 128);
  return name.length > 0 && name !== '*' ? name : undefined;
}
