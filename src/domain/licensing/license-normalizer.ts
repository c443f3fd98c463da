import { NOT_A_LICENSE } from './license-aliases';
import { recogniseName } from './license-names';
import { conjoin, normalizeLicense, unknown } from './license-text';

export type Confidence = 'exact' | 'corrected' | 'inferred' | 'unknown';

/** A license as an SPDX expression (non-SPDX licenses as `LicenseRef-`), with where it came from. */
export interface NormalizedLicense {
  /** Undefined when no license could be identified. */
  expression?: string;
  ids: string[];
  /** Which field it was read from, e.g. `huggingface:license`, `github:spdx_id`. */
  source: string;
  confidence: Confidence;
  /** The text it was read from, shortened. */
  input?: string;
  note?: string;
}

/** The license fields of a Hugging Face model: the card's `license`, `license_name`, `license_link`, and tags. */
export interface HuggingFaceLicenseFields {
  license?: string | readonly string[] | null;
  license_name?: string | null;
  license_link?: string | null;
  tags?: readonly string[] | null;
}

/** The `license` object of GitHub's repository and license APIs. */
export interface GitHubLicenseFields {
  spdx_id?: string | null;
  key?: string | null;
  name?: string | null;
}

/**
 * A Hugging Face model's license. The card's `license` wins; `other` defers to `license_name`, then
 * `license_link`; without a `license`, the `license:*` tags are read. A list means every license applies.
 */
export function normalizeHuggingFaceLicense(fields: HuggingFaceLicenseFields): NormalizedLicense {
  const declared = texts(typeof fields.license === 'string' ? [fields.license] : fields.license);
  if (declared.length > 0) {
    return conjoin(declared.map((value) => fromCardValue(value, 'huggingface:license', fields)), 'huggingface:license');
  }
  const tagged = texts(fields.tags).filter((tag) => /^license:/i.test(tag)).map((tag) => tag.slice('license:'.length));
  if (tagged.length > 0) return conjoin(tagged.map((value) => fromCardValue(value, 'huggingface:tags', fields)), 'huggingface:tags');
  if (present(fields.license_name) || present(fields.license_link)) return fromOther(fields);
  return unknown('huggingface', 'the model declares no license (no license field, no license tag)');
}

/**
 * A GitHub repository's license: `spdx_id` first, then `key`, then `name`. A missing license object or
 * `NOASSERTION` (GitHub's "other") yields an unknown license.
 */
export function normalizeGitHubLicense(fields: GitHubLicenseFields | null | undefined): NormalizedLicense {
  if (fields === null || fields === undefined) return unknown('github', 'GitHub detected no license file in the repository');
  const tried: Array<[string | null | undefined, string]> = [[fields.spdx_id, 'github:spdx_id'], [fields.key, 'github:key'], [fields.name, 'github:name']];
  for (const [value, source] of tried) {
    if (!present(value) || NOT_A_LICENSE[value.trim().toLowerCase()] !== undefined) continue;
    const license = normalizeLicense(value, source);
    if (license.expression !== undefined) return license;
  }
  const said = present(fields.spdx_id) ? fields.spdx_id.trim() : 'no spdx_id';
  const why = said.toUpperCase() === 'NOASSERTION' ? NOT_A_LICENSE['noassertion'] : `GitHub reported ${said}, which names no license we recognise`;
  return unknown('github', `${why}${present(fields.name) ? ` (name "${fields.name.trim().slice(0, 80)}")` : ''}`);
}

function fromCardValue(value: string, source: string, fields: HuggingFaceLicenseFields): NormalizedLicense {
  return value.trim().toLowerCase() === 'other' ? fromOther(fields) : normalizeLicense(value, source);
}

function fromOther(fields: HuggingFaceLicenseFields): NormalizedLicense {
  const name = present(fields.license_name) ? fields.license_name : undefined;
  const link = present(fields.license_link) ? fields.license_link.slice(0, 512) : undefined;
  if (name !== undefined) {
    const license = normalizeLicense(name, 'huggingface:license_name');
    if (license.expression !== undefined) return license;
  }
  const fromLink = link === undefined ? undefined : recogniseName(link);
  if (fromLink !== undefined) {
    const license = normalizeLicense(fromLink.expression, 'huggingface:license_link');
    return { ...license, confidence: 'inferred', input: link, note: `recognised from the license link "${fromLink.clue}"` };
  }
  const what = [name === undefined ? undefined : `license_name "${name.trim().slice(0, 80)}"`, link === undefined ? undefined : `license_link "${link.slice(0, 120)}"`]
    .filter((part) => part !== undefined).join(' and ');
  return unknown('huggingface:license_name', what === '' ? NOT_A_LICENSE['other'] ?? 'other' : `license "other" with ${what} names no license in the rule table`);
}

function texts(values: readonly unknown[] | null | undefined): string[] {
  return (values ?? []).filter((value): value is string => present(value));
}

function present(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
