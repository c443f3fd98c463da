import {
  LICENSE_BRIDGES,
  LICENSE_EXCEPTIONS,
  LICENSE_SCORE_SCALE,
  LICENSE_TERMS,
  type LicenseTerms,
} from '../../../../src/domain/licensing';

/**
 * The tables of docs/licensing.md, rendered from the code. The doc holds each between
 * `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; a test keeps them identical.
 */
export const DOC_TABLES: Record<string, () => string[]> = {
  'license-terms': () => [
    '| License | Family | Fine-tuning | Commercial | Copyleft reach | Use restrictions flow down | Attribution | Joins a GPL work as-is | Rationale; extra conditions |',
    '|---|---|---|---|---|---|---|---|---|',
    ...LICENSE_TERMS.map(termsRow),
  ],
  'license-bridges': () => [
    '| Code or part under | may join a work under | because |',
    '|---|---|---|',
    ...LICENSE_BRIDGES.map((b) => `| ${b.from.join(', ')} | ${b.into.join(', ')} | ${b.rationale} |`),
  ],
  'license-exceptions': () => [
    '| Exception | Effect | because |',
    '|---|---|---|',
    ...LICENSE_EXCEPTIONS.map((e) => `| ${e.id} | ${e.effect} | ${e.rationale} |`),
  ],
  'license-score': () => [
    '| Family | Score |',
    '|---|---|',
    ...Object.entries(LICENSE_SCORE_SCALE).map(([family, score]) => `| ${family} | ${score} |`),
  ],
};

const yes = (value: boolean) => (value ? 'yes' : 'no');

function termsRow(t: LicenseTerms): string {
  const gpl = t.family === 'permissive' || t.family === 'public-domain' ? { 'v2-and-v3': 'GPL-2.0 and GPL-3.0', 'v3-only': 'GPL-3.0 only', no: 'no' }[t.gplCompatible] : '—';
  const conditions = t.conditions.length === 0 ? '' : `; ${t.conditions.join('; ')}`;
  const cells = [`\`${t.id}\``, t.family, t.derivatives.replace('-', ' '), yes(t.commercial), t.copyleft, yes(t.useRestrictions), yes(t.attribution), gpl, `${t.rationale}${conditions}`];
  return `| ${cells.join(' | ')} |`;
}

/** The lines between the markers of one generated table, or undefined when the markers are missing. */
export function generatedBlock(doc: string, name: string): string[] | undefined {
  const lines = doc.split(/\r?\n/);
  const start = lines.indexOf(`<!-- generated:${name} -->`);
  const end = lines.indexOf(`<!-- /generated:${name} -->`);
  return start < 0 || end < start ? undefined : lines.slice(start + 1, end).filter((line) => line.trim() !== '');
}
