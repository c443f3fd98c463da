import { licenseScore, normalizeHuggingFaceLicense, type NormalizedLicense } from './domain-imports';
import { hasFile, type Evidence } from './evidence';
import type { MetricResult } from './metric';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The card's license fields win over the Hub's copy of them; tags are the last resort. */
export function modelLicense(evidence: Evidence): NormalizedLicense {
  const card = evidence.card?.metadata ?? {};
  const cardLicense = card['license'];
  const declared = typeof cardLicense === 'string' ? cardLicense
    : Array.isArray(cardLicense) ? cardLicense.filter((item): item is string => typeof item === 'string') : evidence.model.license;
  return normalizeHuggingFaceLicense({
    license: declared,
    license_name: text(card['license_name']) ?? evidence.model.licenseName,
    license_link: text(card['license_link']) ?? evidence.model.licenseLink,
    tags: evidence.model.tags,
  });
}

/**
 * How clear and permissive the model's license is for ACME's use (fine-tune, then serve inference),
 * on the scale of src/domain/licensing (LICENSE_SCORE_SCALE): the license is normalised to SPDX from
 * the card's `license`, `license_name`, `license_link` and `license:` tags, then scored.
 */
export function license(evidence: Evidence): MetricResult {
  const normalized = modelLicense(evidence);
  const scored = licenseScore(normalized);
  const licenseFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE'].some((name) => hasFile(evidence.files, name));
  const explanation = [...scored.reasons];
  if (normalized.expression === undefined && licenseFile) explanation.push('a LICENSE file is present, but the card does not declare which license it is');
  if (evidence.model.gated) explanation.push('access is gated: users must accept terms on the Hub before downloading (not scored)');
  return {
    value: scored.score,
    applicable: true,
    inputs: { expression: normalized.expression ?? null, ids: normalized.ids, source: normalized.source, confidence: normalized.confidence, licenseFile, gated: evidence.model.gated ?? false },
    explanation,
  };
}
