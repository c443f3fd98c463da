import {
  EVIDENCE_SCHEMA_VERSION, type CodeEvidence, type CommitEvidence, type Evidence, type PullRequestEvidence,
} from '../../../../src/domain/rating';

/** Small, explicit evidence for one behaviour at a time; reference-evidence.ts gives the realistic kind. */
export function anEvidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    collectedAt: '2025-12-15T00:00:00Z',
    origin: 'huggingface',
    model: { repo: 'acme/tiny-model' },
    files: [],
    ...overrides,
  };
}

export const aCard = (text: string, metadata: Record<string, unknown> = {}): NonNullable<Evidence['card']> => ({ text, metadata });

export function aRepo(overrides: Partial<CodeEvidence> = {}): CodeEvidence {
  return { repo: 'acme/tiny-model-code', url: 'https://github.com/acme/tiny-model-code', ...overrides };
}

export function aPull(number: number, overrides: Partial<PullRequestEvidence> = {}): PullRequestEvidence {
  return { number, author: 'alice', mergedAt: '2025-11-01T00:00:00Z', reviewed: true, additions: 100, deletions: 0, ...overrides };
}

export function aCommit(sha: string, overrides: Partial<CommitEvidence> = {}): CommitEvidence {
  return { sha, author: 'alice', date: '2025-11-01T00:00:00Z', additions: 10, ...overrides };
}

/** A clock that advances `stepMs` on every reading, so each metric's compute time is known exactly. */
export function steppingClock(stepMs: number): { now(): number } {
  let now = 0;
  return { now: () => (now += stepMs) };
}

/** 70B parameters in bf16: 30 shards of 4.7 GB. */
export const SEVENTY_B_SHARDS = Array.from({ length: 30 }, (_, i) => ({
  path: `model-${String(i + 1).padStart(5, '0')}-of-00030.safetensors`,
  size: 4_700_000_000,
}));
