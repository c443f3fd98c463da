import { hasConfusableCharacters, plainKey, skeleton } from './confusables';

export interface NameResemblance {
  /** How strongly the name imitates the other, in [0, 1]. */
  readonly weight: number;
  readonly reason: string;
}

/** Names shorter than this are compared only for exact look-alikes: short names collide by chance. */
const MIN_TYPO_LENGTH = 5;
// Real, distinct model families and size words one edit apart from each other (bert/bart,
// mistral/mixtral, llama/llava, deit/beit): swapping one for another names another model.
const DISTINCT_WORDS = new Set([
  'bert', 'bart', 'bort', 'mistral', 'mixtral', 'llama', 'llava', 'deit', 'beit', 'vit', 'bit', 'clip', 'blip', 'gpt', 'opt', 'mt5', 'byt5',
  'gemma', 'gemini', 'phi', 'pythia', 'bloom', 'bloomz', 'mamba', 'samba', 'sam', 'yolo', 'yolos', 'base', 'bass', 'large', 'small', 'tiny', 'mini',
  'medium', 'xl', 'xxl', 'cased', 'uncased', 'chat', 'instruct', 'coder', 'code',
]);
const words = (name: string): string[] => name.toLowerCase().split(/[-_./\s]+/).filter((word) => word !== '');

/** Two names that differ in exactly one word, both of them distinct real words of the field. */
function differsInDistinctWords(candidate: string, original: string): boolean {
  const mine = words(candidate);
  const theirs = words(original);
  if (mine.length !== theirs.length) return false;
  const differing = mine.flatMap((word, index) => (word === theirs[index] ? [] : [[word, theirs[index] ?? ''] as const]));
  return differing.length === 1 && differing.every(([a, b]) => DISTINCT_WORDS.has(a) && DISTINCT_WORDS.has(b));
}

/**
 * Whether `candidate` reads like `original` without being it: the same after separators, case and
 * look-alike characters are set aside, or one edit apart (a changed, added, dropped, doubled or
 * swapped character). Differences in digits alone are versions of a family, not imitations.
 */
export function nameResemblance(candidate: string, original: string): NameResemblance | undefined {
  if (candidate === original) return undefined;
  const a = skeleton(candidate);
  const b = skeleton(original);
  if (a.length === 0 || b.length === 0) return undefined;
  if (a === b) {
    if (hasConfusableCharacters(candidate) || hasConfusableCharacters(original)) {
      return { weight: 0.95, reason: `"${candidate}" is "${original}" written with look-alike Unicode characters` };
    }
    if (plainKey(candidate) === plainKey(original)) {
      const what = candidate.toLowerCase() === original.toLowerCase() ? 'letter case' : 'separators (-, _, .)';
      return { weight: 0.8, reason: `"${candidate}" differs from "${original}" only in ${what}` };
    }
    return { weight: 0.85, reason: `"${candidate}" reads as "${original}" (look-alike characters such as rn/m, 0/o, 1/l)` };
  }
  if (Math.min(a.length, b.length) < MIN_TYPO_LENGTH || differsInDistinctWords(candidate, original)) return undefined;
  const edit = singleEdit(a, b);
  return edit === undefined ? undefined : { weight: 0.7, reason: `"${candidate}" is one ${edit} away from "${original}"` };
}

/** Names one Damerau edit apart, said as the kind of edit; undefined otherwise or for digit-only changes. */
function singleEdit(a: string, b: string): string | undefined {
  if (Math.abs(a.length - b.length) > 1) return undefined;
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const removedA = a.slice(start, endA);
  const removedB = b.slice(start, endB);
  if (removedA.length === 1 && removedB.length === 1) return /\d/.test(removedA) && /\d/.test(removedB) ? undefined : 'changed character';
  if (removedA.length === 2 && removedB.length === 2 && removedA[0] === removedB[1] && removedA[1] === removedB[0]) return 'swap of two characters';
  const extra = removedA.length > removedB.length ? removedA : removedB;
  if (extra.length === 1 && (removedA.length === 0 || removedB.length === 0)) {
    if (/\d/.test(extra)) return undefined;
    const longer = removedA.length > 0 ? a : b;
    const doubled = longer[start] === longer[start - 1] || longer[start] === longer[start + 1];
    return doubled ? 'doubled character' : longer === a ? 'added character' : 'dropped character';
  }
  return undefined;
}

/** Deletion keys: two names one edit apart share at least one, so look-alikes are found without comparing every pair. */
export function neighbourhoodKeys(name: string): string[] {
  const key = skeleton(name);
  const keys = new Set([key]);
  for (let index = 0; index < key.length; index += 1) keys.add(key.slice(0, index) + key.slice(index + 1));
  return [...keys];
}
