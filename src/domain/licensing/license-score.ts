import { alternatives, parseExpression, type LicenseLeaf } from './license-expression';
import type { NormalizedLicense } from './license-normalizer';
import { termsFor, type LicenseFamily, type LicenseTerms } from './license-terms';

/**
 * The scale of the `license` rating metric: how freely ACME may fine-tune the model, use it
 * commercially and distribute the result. 0.5 is the default ingest gate.
 */
export const LICENSE_SCORE_SCALE: Readonly<Record<LicenseFamily | 'unknown', number>> = {
  'public-domain': 1,
  permissive: 1,
  'weak-copyleft': 0.8,
  'strong-copyleft': 0.6,
  'network-copyleft': 0.6,
  'use-restricted': 0.6,
  community: 0.5,
  'non-commercial': 0.2,
  'no-derivatives': 0,
  unknown: 0,
};

const WHY: Readonly<Record<LicenseFamily | 'unknown', string>> = {
  'public-domain': 'no conditions',
  permissive: 'any use, with attribution',
  'weak-copyleft': 'share-alike reaches only the licensed files or library',
  'strong-copyleft': 'a distributed derivative must be shared alike, with source',
  'network-copyleft': 'share-alike that serving inference over a network already triggers',
  'use-restricted': 'use restrictions bind every derivative and user',
  community: 'commercial use under a licensor-controlled policy, with caps or naming rules',
  'non-commercial': 'usable for research only',
  'no-derivatives': 'fine-tuned models may not be shared, or made at all',
  unknown: 'unknown terms are not usable by default',
};

export interface LicenseScore {
  /** In [0, 1]; see LICENSE_SCORE_SCALE. */
  score: number;
  reasons: string[];
}

/**
 * The `license` metric of a model. AND takes the lowest part (every part applies), OR the highest
 * branch (the licensee chooses). A missing or unknown license scores 0.
 */
export function licenseScore(license: NormalizedLicense): LicenseScore {
  if (license.expression === undefined) {
    return { score: 0, reasons: [`0: the license cannot be determined (${license.note ?? 'no license given'})`] };
  }
  const choices = choicesOf(license.expression);
  if (choices === undefined) return { score: 0, reasons: [`0: "${license.expression}" is malformed or offers too many alternatives to evaluate`] };
  const scored = choices.map((choice) => scoreConjunction(choice));
  const best = scored.reduce((a, b) => (b.score > a.score ? b : a));
  const reasons = [...best.reasons];
  if (choices.length > 1) reasons.unshift(`${license.expression} offers a choice; the best branch counts`);
  if (license.confidence !== 'exact') reasons.push(`read from ${license.source} with confidence "${license.confidence}"`);
  return { score: best.score, reasons };
}

function choicesOf(expression: string): LicenseLeaf[][] | undefined {
  try {
    return alternatives(parseExpression(expression));
  } catch {
    return undefined;
  }
}

function scoreConjunction(leaves: LicenseLeaf[]): LicenseScore {
  const parts = leaves.map((leaf) => scoreLeaf(leaf.id, termsFor(leaf.id)));
  return { score: Math.min(...parts.map((part) => part.score)), reasons: parts.map((part) => part.reason) };
}

function scoreLeaf(id: string, terms: LicenseTerms | undefined): { score: number; reason: string } {
  const family = terms === undefined ? 'unknown' : familyForScore(terms);
  const score = LICENSE_SCORE_SCALE[family];
  return { score, reason: `${score}: ${id} is ${family} — ${WHY[family]}` };
}

/** CC BY-ND 4.0 allows private adaptations but is scored with its family: nothing fine-tuned may be shared. */
function familyForScore(terms: LicenseTerms): LicenseFamily {
  return terms.derivatives === 'allowed' ? terms.family : 'no-derivatives';
}
