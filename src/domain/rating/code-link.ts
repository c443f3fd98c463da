/**
 * Which of the GitHub repositories a card links is the model's own code. Cards link frameworks,
 * benchmarks and datasets too (gemma links jax and natural-questions), so a link counts only when its
 * repository name or path names the model (whisper-tiny → openai/whisper, roberta-base →
 * pytorch/fairseq/…/examples/roberta), or when it is the only repository the card links.
 */
export interface CodeLink {
  readonly repo: string;
  readonly url: string;
  readonly reason: string;
}

const GENERIC = /^(base|small|large|tiny|mini|medium|xl|xxl|uncased|cased|model|models|hf|it|instruct|chat|v\d+|\d+(\.\d+)?[bmk]?|en)$/;
const GITHUB = /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?:\/(?:tree|blob)\/[^/]+\/([^?#]*))?/;

const tokens = (text: string): string[] => text.toLowerCase().split(/[-_./\s]+/).filter((token) => token.length >= 2);
const squash = (text: string): string => text.toLowerCase().replace(/[-_.]/g, '');

interface Candidate {
  readonly repo: string;
  readonly url: string;
  readonly owner: string;
  readonly nameMatch: string | undefined;
  readonly pathMatch: string | undefined;
}

function matching(modelTokens: readonly string[], words: readonly string[], whole: string): string | undefined {
  return modelTokens.find((token) => words.some((word) => word === token || word.startsWith(token)) || (token.length >= 3 && whole.includes(token)));
}

export function chooseCodeRepository(modelRepo: string, links: readonly string[], modelType?: string): CodeLink | undefined {
  const modelName = modelRepo.slice(modelRepo.lastIndexOf('/') + 1);
  const modelOwner = modelRepo.includes('/') ? modelRepo.slice(0, modelRepo.indexOf('/')).toLowerCase() : '';
  const modelTokens = [...new Set([...tokens(modelName), squash(modelName), ...(modelType ? [modelType.toLowerCase()] : [])])].filter((token) => !GENERIC.test(token));
  const candidates: Candidate[] = [];
  for (const link of links.slice(0, 50)) {
    const match = GITHUB.exec(link);
    if (!match) continue;
    const owner = match[1] ?? '';
    const name = (match[2] ?? '').replace(/\.git$/, '');
    const repo = `${owner}/${name}`;
    const nameMatch = matching(modelTokens, tokens(name), squash(name));
    const pathMatch = matching(modelTokens, tokens(match[3] ?? ''), '');
    const known = candidates.findIndex((candidate) => candidate.repo.toLowerCase() === repo.toLowerCase());
    const candidate = { repo, url: `https://github.com/${repo}`, owner: owner.toLowerCase(), nameMatch, pathMatch };
    if (known < 0) candidates.push(candidate);
    else if (!candidates[known]?.nameMatch && !candidates[known]?.pathMatch) candidates[known] = candidate;
  }
  const named = candidates.filter((candidate) => candidate.nameMatch !== undefined || candidate.pathMatch !== undefined);
  const ranked = [...named].sort((a, b) => rank(b, modelOwner) - rank(a, modelOwner));
  const best = ranked[0];
  if (best) {
    const how = best.nameMatch ? `its name matches "${best.nameMatch}"` : `its linked path matches "${best.pathMatch}"`;
    return { repo: best.repo, url: best.url, reason: `the card links ${best.repo} and ${how} from the model name` };
  }
  const only = candidates.length === 1 ? candidates[0] : undefined;
  return only ? { repo: only.repo, url: only.url, reason: `${only.repo} is the only repository the card links` } : undefined;
}

// Stable: equal ranks keep the card's order.
const rank = (candidate: Candidate, modelOwner: string): number =>
  (candidate.owner === modelOwner ? 4 : 0) + (candidate.nameMatch ? 2 : 0) + (candidate.pathMatch ? 1 : 0);
