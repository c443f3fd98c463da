import type { Evidence } from './evidence';
import { clamp01, fmt, plural, thousands, unavailableResult, type MetricResult } from './metric';

/** Contributors covering half the commits at which the concentration half is full. */
export const BUS_FACTOR_FULL_KEY_PEOPLE = 3;
/** Contributors at which the breadth half is full (log scale). */
export const BUS_FACTOR_FULL_CONTRIBUTORS = 20;
/** Downloads at which the popularity half of the proxy is full (log scale). */
export const PROXY_FULL_DOWNLOADS = 1_000_000;
const OWNERSHIP = { organization: 1, canonical: 1, user: 0.3, unknown: 0.5 } as const;

/**
 * How well the model's upstream would survive losing people. With a linked repository: half from how
 * many top contributors it takes to cover 50% of the commits, half from how many people contribute at
 * all. Without one, a documented proxy: who owns the Hub repository and how widely it is used. A
 * linked repository that could not be read gives no value (-1, not applicable), not the proxy.
 */
export function busFactor(evidence: Evidence): MetricResult {
  if (evidence.code?.unavailable !== undefined) {
    return unavailableResult(`the linked repository ${evidence.code.repo} could not be read (${evidence.code.unavailable})`, { repo: evidence.code.repo });
  }
  const contributors = (evidence.code?.contributors ?? []).filter((person) => person.contributions > 0);
  return evidence.code && contributors.length > 0 ? fromRepository(evidence.code.repo, contributors) : fromHubProxy(evidence);
}

function fromRepository(repo: string, contributors: readonly { readonly login: string; readonly contributions: number }[]): MetricResult {
  const counts = contributors.map((person) => person.contributions).sort((a, b) => b - a);
  const total = counts.reduce((sum, count) => sum + count, 0);
  let covered = 0;
  let keyPeople = 0;
  while (covered * 2 < total) covered += counts[keyPeople++] ?? total;
  const concentration = Math.min(1, keyPeople / BUS_FACTOR_FULL_KEY_PEOPLE);
  const breadth = Math.min(1, Math.log10(contributors.length) / Math.log10(BUS_FACTOR_FULL_CONTRIBUTORS));
  const value = clamp01(0.5 * concentration + 0.5 * breadth);
  const share = total === 0 ? 0 : counts.slice(0, keyPeople).reduce((sum, count) => sum + count, 0) / total;
  return {
    value,
    applicable: true,
    inputs: { basis: 'repository', repo, contributors: contributors.length, commits: total, keyPeople, keyPeopleShare: share, concentration, breadth },
    explanation: [
      `${keyPeople} of ${plural(contributors.length, 'contributor')} to ${repo} made ${Math.round(share * 100)}% of its ${plural(total, 'commit')}`,
      `concentration ${fmt(concentration)} (full at ${BUS_FACTOR_FULL_KEY_PEOPLE} people covering half the commits), breadth ${fmt(breadth)} (full at ${BUS_FACTOR_FULL_CONTRIBUTORS} contributors)`,
    ],
  };
}

function ownershipOf(evidence: Evidence): keyof typeof OWNERSHIP {
  if (evidence.model.authorKind) return evidence.model.authorKind;
  // Ids without an owner are the Hub's canonical models, maintained by Hugging Face and the original lab.
  if (evidence.origin === 'huggingface' && !evidence.model.repo.includes('/')) return 'canonical';
  return 'unknown';
}

function fromHubProxy(evidence: Evidence): MetricResult {
  const ownership = ownershipOf(evidence);
  const downloads = evidence.model.downloads ?? 0;
  const popularity = Math.min(1, Math.log10(downloads + 1) / Math.log10(PROXY_FULL_DOWNLOADS));
  const value = clamp01(0.5 * OWNERSHIP[ownership] + 0.5 * popularity);
  const owner = { organization: 'an organisation', canonical: 'a canonical Hub model (no owner in its id)', user: 'an individual user', unknown: 'an owner of unknown kind' }[ownership];
  const why = evidence.code ? `the linked repository ${evidence.code.repo} has no contributor data` : 'no code repository is linked';
  return {
    value,
    applicable: true,
    inputs: { basis: 'hub-proxy', ownership, ownershipScore: OWNERSHIP[ownership], downloads, popularity },
    explanation: [
      `${why}, so this is a proxy: who owns the Hub repository and how widely it is used`,
      `owned by ${owner} (${fmt(OWNERSHIP[ownership])}); ${thousands(downloads)} downloads give popularity ${fmt(popularity)} (full at ${thousands(PROXY_FULL_DOWNLOADS)})`,
    ],
  };
}
