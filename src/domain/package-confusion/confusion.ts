import { nameResemblance, neighbourhoodKeys, type NameResemblance } from './name-similarity';

/** What the confusion check knows about one registered artifact. */
export interface ConfusionSubject {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly createdAt: string;
  /** The repository it was mirrored from ("owner/name"), when it came from a URL. */
  readonly repo?: string;
  /** Downloads the source reported when mirrored (Hugging Face's count). */
  readonly sourceDownloads?: number;
  /** This registry's DOWNLOAD audit entries for it. */
  readonly downloads: readonly { readonly user: string; readonly date: string }[];
  readonly hasConfig: boolean;
  readonly modelType?: string;
  readonly weightsBytes: number;
}

export interface ConfusionReport {
  /** Suspicion in [0, 1]: 1 - Π(1 - weight) over the reasons. */
  readonly score: number;
  readonly resembles?: { readonly id: string; readonly name: string; readonly type: string };
  readonly reasons: readonly string[];
}

export interface ConfusionFinding extends ConfusionReport {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

/** Only scores at least this high are reported: one weak signal alone is noise. */
export const CONFUSION_REPORT_THRESHOLD = 0.3;
const WELL_KNOWN_OWNERS = [
  'google', 'google-bert', 'google-t5', 'meta-llama', 'facebook', 'openai', 'openai-community', 'microsoft', 'mistralai', 'huggingface',
  'stabilityai', 'bigscience', 'EleutherAI', 'Qwen', 'deepseek-ai', 'nvidia', 'sentence-transformers', 'distilbert', 'tiiuae', 'allenai',
];
const FAMILIES = ['bert', 'roberta', 'distilbert', 'albert', 'gpt2', 'gpt', 'llama', 't5', 'bart', 'whisper', 'mistral', 'gemma', 'qwen', 'falcon', 'vit', 'clip'];
const DAY_MS = 86_400_000;
const BURST_MIN_DOWNLOADS = 20;
const FAMOUS_DOWNLOADS = 10_000;

const combine = (weights: readonly number[]): number => Math.round((1 - weights.reduce((rest, weight) => rest * (1 - weight), 1)) * 1000) / 1000;
const ownerOf = (subject: ConfusionSubject): string | undefined => (subject.repo ?? subject.name).split('/').slice(-2, -1)[0];
const baseName = (subject: ConfusionSubject): string => (subject.repo ?? subject.name).split('/').pop() ?? subject.name;
const popularity = (subject: ConfusionSubject): number => (subject.sourceDownloads ?? 0) + subject.downloads.length;

/** The registered artifacts whose names, popularity or content suggest they imitate another, most suspicious first. */
export function findConfusion(subjects: readonly ConfusionSubject[], now: Date): ConfusionFinding[] {
  const index = new Map<string, ConfusionSubject[]>();
  for (const subject of subjects) {
    for (const key of neighbourhoodKeys(baseName(subject))) index.set(key, [...(index.get(key) ?? []), subject]);
  }
  const findings: ConfusionFinding[] = [];
  for (const subject of subjects) {
    const near = new Set(neighbourhoodKeys(baseName(subject)).flatMap((key) => index.get(key) ?? []));
    near.delete(subject);
    const report = assessConfusion(subject, [...near], now);
    if (report.score >= CONFUSION_REPORT_THRESHOLD) findings.push({ id: subject.id, name: subject.name, type: subject.type, ...report });
  }
  return findings.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * How much `candidate` looks like an imitation of one of `others`: the closest look-alike that is
 * older or more popular, plus the signals that make an imitation likely — popularity that does not
 * fit and content that does not fit the name.
 */
export function assessConfusion(candidate: ConfusionSubject, others: readonly ConfusionSubject[], now: Date): ConfusionReport {
  const original = closestOriginal(candidate, others);
  const weights: number[] = [];
  const reasons: string[] = [];
  const add = (signal: NameResemblance | undefined): void => {
    if (signal === undefined) return;
    weights.push(signal.weight);
    reasons.push(signal.reason);
  };
  add(original?.resemblance);
  add(ownerImitation(candidate, original?.subject));
  add(downloadBurst(candidate));
  if (original !== undefined) {
    add(popularityMismatch(candidate, original.subject, now));
    add(contentMismatch(candidate, original.subject));
  }
  const resembles = original === undefined ? undefined : { id: original.subject.id, name: original.subject.name, type: original.subject.type };
  return { score: combine(weights), ...(resembles === undefined ? {} : { resembles }), reasons };
}

function closestOriginal(candidate: ConfusionSubject, others: readonly ConfusionSubject[]): { subject: ConfusionSubject; resemblance: NameResemblance } | undefined {
  let best: { subject: ConfusionSubject; resemblance: NameResemblance; rank: number } | undefined;
  for (const other of others) {
    if (other.id === candidate.id) continue;
    // The imitation is the newer one, unless it is also far less popular than what it copies.
    const older = other.createdAt < candidate.createdAt || (other.createdAt === candidate.createdAt && other.id < candidate.id);
    if (!older && popularity(other) <= popularity(candidate)) continue;
    const resemblance = nameResemblance(baseName(candidate), baseName(other)) ?? fullNameResemblance(candidate, other);
    if (resemblance === undefined) continue;
    // Among several look-alikes, the one more popular and older than the candidate is what it imitates.
    const rank = resemblance.weight + (popularity(other) > popularity(candidate) ? 1 : 0) + (other.createdAt < candidate.createdAt ? 0.5 : 0);
    if (best === undefined || rank > best.rank) best = { subject: other, resemblance, rank };
  }
  return best;
}

// Same base name under an owner that imitates the original's owner ("g00gle-bert/bert-base-uncased").
function fullNameResemblance(candidate: ConfusionSubject, other: ConfusionSubject): NameResemblance | undefined {
  if (baseName(candidate).toLowerCase() !== baseName(other).toLowerCase()) return undefined;
  const mine = ownerOf(candidate);
  const theirs = ownerOf(other);
  if (mine === undefined || theirs === undefined || mine === theirs) return undefined;
  const owner = nameResemblance(mine, theirs);
  return owner === undefined ? undefined : { weight: 0.8, reason: `"${candidate.name}" copies "${other.name}" under an owner that imitates "${theirs}" (${owner.reason})` };
}

function ownerImitation(candidate: ConfusionSubject, original: ConfusionSubject | undefined): NameResemblance | undefined {
  const owner = ownerOf(candidate);
  if (owner === undefined || WELL_KNOWN_OWNERS.includes(owner) || (original !== undefined && ownerOf(original) === owner)) return undefined;
  for (const known of WELL_KNOWN_OWNERS) {
    const resemblance = nameResemblance(owner, known);
    if (resemblance !== undefined) return { weight: 0.6, reason: `its owner "${owner}" imitates the well-known "${known}"` };
  }
  return undefined;
}

/** Many downloads from one or a few users: popularity bought, not earned. */
export function downloadBurst(subject: Pick<ConfusionSubject, 'downloads'>): NameResemblance | undefined {
  const total = subject.downloads.length;
  if (total < BURST_MIN_DOWNLOADS) return undefined;
  const perUser = new Map<string, number>();
  for (const download of subject.downloads) perUser.set(download.user, (perUser.get(download.user) ?? 0) + 1);
  const top = [...perUser.values()].sort((a, b) => b - a);
  const fromFew = (top[0] ?? 0) + (top[1] ?? 0);
  if (perUser.size <= 2 || fromFew / total >= 0.8) {
    const users = Math.min(perUser.size, 2);
    return { weight: 0.5, reason: `${fromFew} of its ${total} downloads came from ${users} user(s): a burst, not broad use` };
  }
  const times = subject.downloads.map((download) => Date.parse(download.date)).filter(Number.isFinite).sort((a, b) => a - b);
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while ((times[end] ?? 0) - (times[start] ?? 0) > 3_600_000) start += 1;
    if (end - start + 1 >= Math.max(BURST_MIN_DOWNLOADS, total * 0.8)) {
      return { weight: 0.4, reason: `${end - start + 1} of its ${total} downloads fell within one hour` };
    }
  }
  return undefined;
}

function popularityMismatch(candidate: ConfusionSubject, original: ConfusionSubject, now: Date): NameResemblance | undefined {
  const ageDays = Math.max((now.getTime() - Date.parse(candidate.createdAt)) / DAY_MS, 1 / 24);
  const originalAgeDays = Math.max((now.getTime() - Date.parse(original.createdAt)) / DAY_MS, 1 / 24);
  const rate = candidate.downloads.length / ageDays;
  const originalRate = original.downloads.length / originalAgeDays;
  if (candidate.downloads.length >= BURST_MIN_DOWNLOADS && rate > 5 * Math.max(originalRate, 1)) {
    return { weight: 0.4, reason: `${candidate.downloads.length} downloads in ${ageDays.toFixed(1)} day(s), far above "${original.name}" (${original.downloads.length} in ${originalAgeDays.toFixed(1)})` };
  }
  if (popularity(original) >= FAMOUS_DOWNLOADS && candidate.sourceDownloads === undefined && ageDays < 7 && candidate.downloads.length === 0) {
    return { weight: 0.3, reason: `a new artifact with no history of its own, named like the widely used "${original.name}" (${popularity(original)} downloads)` };
  }
  return undefined;
}

function contentMismatch(candidate: ConfusionSubject, original: ConfusionSubject): NameResemblance | undefined {
  const family = FAMILIES.find((name) => baseName(candidate).toLowerCase().includes(name));
  if (candidate.type === 'model' && family !== undefined && !candidate.hasConfig) {
    return { weight: 0.3, reason: `named like a ${family} model but has no config.json` };
  }
  if (family !== undefined && candidate.modelType !== undefined && !candidate.modelType.toLowerCase().includes(family) && original.modelType?.toLowerCase().includes(family) === true) {
    return { weight: 0.3, reason: `named like a ${family} model, but its config says model_type "${candidate.modelType}"` };
  }
  if (candidate.weightsBytes > 0 && original.weightsBytes > 0) {
    const ratio = candidate.weightsBytes / original.weightsBytes;
    if (ratio > 10 || ratio < 0.1) return { weight: 0.3, reason: `its weights are ${candidate.weightsBytes} bytes, ${ratio > 1 ? `${ratio.toFixed(0)} times` : `1/${(1 / ratio).toFixed(0)} of`} those of "${original.name}"` };
  }
  return undefined;
}
