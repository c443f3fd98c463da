import semver from 'semver';
import { invalidInput } from './errors';

/**
 * Version queries accept exactly the forms users write on Hugging Face and GitHub tags: `1.2.3`,
 * a bounded range `1.2.3-2.1.0` (inclusive), tilde `~1.2.0` and caret `^1.2.0`, each with an
 * optional leading `v`. The bounded form is read as a range, never as a semver pre-release.
 */
export interface VersionRange {
  readonly text: string;
  matches(version: string): boolean;
}

const CORE = String.raw`v?(\d+\.\d+\.\d+)`;
const EXACT = new RegExp(`^${CORE}$`);
const BOUNDED = new RegExp(`^${CORE}\\s*-\\s*${CORE}$`);
const TILDE_OR_CARET = new RegExp(`^([~^])\\s*${CORE}$`);

export function parseVersion(raw: string): string {
  const match = EXACT.exec(raw.trim());
  const version = match?.[1] !== undefined ? semver.valid(match[1]) : null;
  if (version === null) {
    throw invalidInput(`version must look like 1.2.3 (optionally v1.2.3); got "${raw}"`);
  }
  return version;
}

export function parseVersionRange(raw: string): VersionRange {
  const text = raw.trim();
  const range = toSemverRange(text);
  if (range === null) {
    throw invalidInput(
      `version query must be exact (1.2.3), bounded (1.2.3-2.1.0), tilde (~1.2.0) or caret (^1.2.0); got "${raw}"`,
    );
  }
  return { text, matches: (version) => semver.satisfies(version, range) };
}

function toSemverRange(text: string): semver.Range | null {
  const exact = EXACT.exec(text);
  if (exact?.[1] !== undefined) return rangeOf(`=${exact[1]}`);
  const bounded = BOUNDED.exec(text);
  if (bounded?.[1] !== undefined && bounded[2] !== undefined) {
    // semver.gt throws a TypeError on an invalid version (leading zeros, beyond MAX_SAFE_INTEGER).
    const [low, high] = [semver.valid(bounded[1]), semver.valid(bounded[2])];
    if (low === null || high === null || semver.gt(low, high)) return null;
    return rangeOf(`>=${low} <=${high}`);
  }
  const prefixed = TILDE_OR_CARET.exec(text);
  if (prefixed?.[1] !== undefined && prefixed[2] !== undefined) return rangeOf(`${prefixed[1]}${prefixed[2]}`);
  return null;
}

function rangeOf(expression: string): semver.Range | null {
  try {
    return new semver.Range(expression);
  } catch {
    return null;
  }
}

/**
 * Versions named by a source's tags: `v1.2.3` and `1.2.3` count, anything else (branches, `latest`,
 * pre-releases) does not. Highest first, without duplicates.
 */
export function versionsFromTags(tags: readonly string[]): string[] {
  const versions = new Set<string>();
  for (const tag of tags) {
    const match = EXACT.exec(tag.trim());
    const version = match?.[1] === undefined ? null : semver.valid(match[1]);
    if (version !== null) versions.add(version);
  }
  return [...versions].sort(semver.rcompare);
}
