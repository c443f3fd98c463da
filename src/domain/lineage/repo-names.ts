import type { DeclarationKind } from './declarations';

/**
 * Hub ids from before organisations, still written in configs and cards (`bert-base-uncased`); any other
 * bare name in config.json `_name_or_path` is taken for a local directory.
 */
export const LEGACY_MODEL_IDS: ReadonlySet<string> = new Set([
  'bert-base-uncased', 'bert-large-uncased', 'bert-base-cased', 'bert-large-cased', 'bert-base-multilingual-uncased',
  'bert-base-multilingual-cased', 'bert-base-chinese', 'bert-base-german-cased', 'bert-large-uncased-whole-word-masking',
  'bert-large-cased-whole-word-masking', 'bert-large-uncased-whole-word-masking-finetuned-squad',
  'distilbert-base-uncased', 'distilbert-base-cased', 'distilbert-base-uncased-distilled-squad',
  'distilbert-base-cased-distilled-squad', 'distilbert-base-multilingual-cased', 'distilbert-base-uncased-finetuned-sst-2-english',
  'distilgpt2', 'distilroberta-base', 'roberta-base', 'roberta-large', 'roberta-large-mnli', 'gpt2', 'gpt2-medium',
  'gpt2-large', 'gpt2-xl', 'openai-gpt', 't5-small', 't5-base', 't5-large', 't5-3b', 't5-11b', 'xlnet-base-cased',
  'xlnet-large-cased', 'albert-base-v1', 'albert-large-v1', 'albert-xlarge-v1', 'albert-xxlarge-v1', 'albert-base-v2',
  'albert-large-v2', 'albert-xlarge-v2', 'albert-xxlarge-v2', 'xlm-roberta-base', 'xlm-roberta-large', 'xlm-mlm-en-2048',
  'ctrl', 'camembert-base', 'transfo-xl-wt103',
]);

// Directory names training scripts write to; `outputs/checkpoint-500` is a path, not a repository.
const LOCAL_OWNERS = new Set(['output', 'outputs', 'model', 'models', 'tmp', 'temp', 'data', 'runs', 'results', 'saved_models', 'ckpt', 'checkpoints', 'home', 'content', 'workspace', 'mnt', 'root', 'users', 'drive', 'kaggle']);
const REPO_ID = /^[A-Za-z0-9][\w.-]{0,95}(\/[A-Za-z0-9][\w.-]{0,95})?$/;
const HUB_URL = /^https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/(?:(datasets|spaces)\/)?/i;
const GITHUB_URL = /^https?:\/\/(?:www\.)?github\.com\//i;

export const isLocalDirectoryName = (name: string): boolean => {
  const [owner = '', repo = ''] = name.split('/');
  return LOCAL_OWNERS.has(owner.toLowerCase()) || /^checkpoint-\d+$/i.test(repo);
};

/**
 * A repository id from what metadata wrote (`owner/name`, a legacy id, or a Hub/GitHub URL), or
 * undefined when it is a path (`./`, `/tmp/x`, `C:\\x`, `../x`) or not an id at all.
 */
export function normalizeRepoName(raw: string, kind: DeclarationKind): string | undefined {
  let text = raw.trim();
  if (text.length === 0 || text.length > 300) return undefined;
  const hub = HUB_URL.exec(text);
  if (hub) {
    if (hub[1] === 'spaces' || (hub[1] === 'datasets') !== (kind === 'dataset')) return undefined;
    text = text.slice(hub[0].length).split('/').slice(0, 2).join('/');
  } else if (GITHUB_URL.test(text)) {
    if (kind !== 'code') return undefined;
    text = text.replace(GITHUB_URL, '').split('/').slice(0, 2).join('/').replace(/\.git$/, '');
  }
  text = text.replace(/\/+$/, '');
  if (text.includes('..') || !REPO_ID.test(text)) return undefined;
  if (kind === 'code' && !text.includes('/')) return undefined;
  return text;
}
