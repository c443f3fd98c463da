/**
 * A name for an uploaded package that was sent without one: the card's `model-index` name, else its
 * first level-one heading. Undefined when the card offers neither.
 */
export function nameFromCard(readme: string | undefined, metadata: Record<string, unknown> | undefined): string | undefined {
  const indexed = modelIndexName(metadata);
  if (indexed !== undefined) return indexed;
  if (readme === undefined) return undefined;
  const body = readme.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  const heading = /^#[ \t]+(.+?)[ \t#]*$/m.exec(body)?.[1];
  return heading === undefined ? undefined : cleanName(heading);
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
    .replace(/[*_`[\]]/g, '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 128);
  return name.length > 0 && name !== '*' ? name : undefined;
}
