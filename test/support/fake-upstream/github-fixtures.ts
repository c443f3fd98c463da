import type { GithubRepoSpec } from './github-repo';
import { referenceGithubRepos, type ReferenceGithubRepo } from '../reference-data';

/** Pull-request history per reference repository: count, and whether anyone reviews them. */
const PULL_HISTORY: Readonly<Record<string, { readonly pullRequests: number; readonly reviewed: boolean }>> = {
  'openai/whisper': { pullRequests: 24, reviewed: true },
  'google-research/big_vision': { pullRequests: 12, reviewed: true },
  'google-deepmind/bbeh': { pullRequests: 3, reviewed: false },
};
const GIT_TAGS: Readonly<Record<string, readonly string[]>> = {
  'openai/whisper': ['v20250625', 'v20240930', 'v20231117', 'v20230314'],
};

export function apacheLicenseText(): string {
  return referenceGithubRepos()['google-research/bert']?.doc_texts.LICENSE ?? 'Apache License\nVersion 2.0, January 2004\n';
}

function mitLicenseText(holder: string, year: string): string {
  const whisper = referenceGithubRepos()['openai/whisper']?.doc_texts.LICENSE ?? 'MIT License\n\nCopyright (c) 2022 OpenAI\n';
  return whisper.replace('Copyright (c) 2022 OpenAI', `Copyright (c) ${year} ${holder}`);
}

const GPT2_LICENSE = (): string =>
  mitLicenseText('OpenAI', '2019')
    .replace('MIT License', 'Modified MIT License')
    .replace('Copyright (c) 2019 OpenAI', 'Software Copyright (c) 2019 OpenAI\n\nWe don’t claim ownership of the content you create with GPT-2, so it is yours to do with as you please.\nWe only ask that you use GPT-2 responsibly and clearly indicate your content was created using GPT-2.');

const GPL3_LICENSE = '                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n\n Copyright (C) 2007 Free Software Foundation, Inc. <https://fsf.org/>\n Everyone is permitted to copy and distribute verbatim copies\n of this license document, but changing it is not allowed.\n';

function fromReference(reference: ReferenceGithubRepo): GithubRepoSpec {
  return {
    fullName: reference.full_name,
    description: reference.description,
    homepage: reference.homepage,
    defaultBranch: reference.default_branch,
    topics: reference.topics,
    language: reference.language,
    archived: reference.archived,
    fork: reference.fork,
    createdAt: reference.created_at,
    updatedAt: reference.updated_at,
    pushedAt: reference.pushed_at,
    stars: reference.stars,
    forks: reference.forks,
    openIssues: reference.open_issues,
    subscribers: reference.watchers,
    licenseSpdx: reference.license_spdx,
    texts: { ...reference.doc_texts, ...(reference.readme_text && reference.files_index.some((file) => file.path === 'README.md') ? { 'README.md': reference.readme_text } : {}) },
    files: reference.files_index,
    contributors: reference.contributors,
    pullRequests: PULL_HISTORY[reference.full_name]?.pullRequests ?? 0,
    reviewed: PULL_HISTORY[reference.full_name]?.reviewed ?? true,
    gitTags: GIT_TAGS[reference.full_name] ?? [],
    movedFrom: [],
  };
}

interface SyntheticRepo {
  readonly fullName: string;
  readonly description: string | null;
  readonly license: { readonly spdx: string | null; readonly text?: string };
  readonly created: string;
  readonly pushed: string;
  readonly stars: number;
  readonly contributors: Readonly<Record<string, number>>;
  readonly extra?: Partial<GithubRepoSpec>;
}

/** Repositories linked from the reference model cards but absent from the GitHub reference file (metadata plausible, not exact). */
const SYNTHETIC: readonly SyntheticRepo[] = [
  { fullName: 'openai/gpt-2', description: 'Code for the paper "Language Models are Unsupervised Multitask Learners"', license: { spdx: 'NOASSERTION', text: GPT2_LICENSE() }, created: '2019-02-11T04:21:59Z', pushed: '2024-08-15T00:28:48Z', stars: 23_900, contributors: { WuTheFWasThat: 14, 'jack-clark': 3, 'anon:Jeff Wu': 2, madisonmay: 1 }, extra: { archived: true, pullRequests: 6, reviewed: true } },
  { fullName: 'pytorch/fairseq', description: 'Facebook AI Research Sequence-to-Sequence Toolkit written in Python.', license: { spdx: 'MIT', text: mitLicenseText('Facebook, Inc. and its affiliates.', '2017') }, created: '2017-08-29T16:26:12Z', pushed: '2024-09-30T15:46:20Z', stars: 31_200, contributors: { myleott: 20, alexeib: 8, kahne: 6, 'anon:Michael Auli': 2, louismartin: 2 }, extra: { pullRequests: 8, reviewed: true, gitTags: ['v0.12.2', 'v0.10.2'] } },
  { fullName: 'huggingface/transformers', description: '🤗 Transformers: the model-definition framework for state-of-the-art machine learning models in text, vision, audio, and multimodal models, for both inference and training.', license: { spdx: 'Apache-2.0' }, created: '2018-10-29T13:56:00Z', pushed: '2025-10-09T18:02:11Z', stars: 151_000, contributors: { sgugger: 30, LysandreJik: 20, ydshieh: 15, ArthurZucker: 12, 'dependabot[bot]': 3, 'anon:Thomas Wolf': 2 }, extra: { pullRequests: 45, reviewed: true, gitTags: ['v4.46.0', 'v4.45.0', 'v4.44.0'], topics: ['nlp', 'pytorch', 'transformer'] } },
  { fullName: 'google-research/albert', description: 'ALBERT: A Lite BERT for Self-supervised Learning of Language Representations', license: { spdx: 'Apache-2.0' }, created: '2019-10-29T19:47:51Z', pushed: '2023-03-07T22:00:32Z', stars: 3_300, contributors: { 'Danny-Google': 20, lanzhzh: 5 } },
  { fullName: 'google-research/t5x', description: null, license: { spdx: 'Apache-2.0' }, created: '2021-10-26T17:47:40Z', pushed: '2025-06-02T20:05:50Z', stars: 2_800, contributors: { adarob: 15, 'anon:T5X Team': 10, hwchung27: 4 } },
  { fullName: 'google-research/text-to-text-transfer-transformer', description: 'Code for the paper "Exploring the Limits of Transfer Learning with a Unified Text-to-Text Transformer"', license: { spdx: 'Apache-2.0' }, created: '2019-10-17T21:45:14Z', pushed: '2024-07-11T16:42:05Z', stars: 6_300, contributors: { adarob: 25, craffel: 10, nshazeer: 3 } },
  { fullName: 'google-research-datasets/natural-questions', description: 'Natural Questions (NQ) contains real user questions issued to Google search, and answers found from Wikipedia by annotators.', license: { spdx: 'Apache-2.0' }, created: '2019-01-22T18:29:55Z', pushed: '2021-01-13T23:07:20Z', stars: 1_000, contributors: { kentonl: 6, slavpetrov: 2 } },
  { fullName: 'jax-ml/jax', description: 'Composable transformations of Python+NumPy programs: differentiate, vectorize, JIT to GPU/TPU, and more', license: { spdx: 'Apache-2.0' }, created: '2018-10-25T21:25:02Z', pushed: '2025-10-09T19:11:42Z', stars: 33_000, contributors: { hawkinsp: 30, mattjj: 25, jakevdp: 20, froystig: 10 }, extra: { movedFrom: ['google/jax'], gitTags: ['jax-v0.4.31', 'jax-v0.4.30'] } },
  { fullName: 'huggingface/local-gemma', description: 'Gemma 2 optimized for your local machine.', license: { spdx: 'Apache-2.0' }, created: '2024-06-27T10:13:50Z', pushed: '2024-08-02T09:43:31Z', stars: 360, contributors: { 'sanchit-gandhi': 12, Vaibhavs10: 6 } },
  { fullName: 'jcpeterson/openwebtext', description: 'Open clone of OpenAI\'s unreleased WebText dataset scraper.', license: { spdx: 'GPL-3.0', text: GPL3_LICENSE }, created: '2019-02-15T03:33:14Z', pushed: '2020-05-21T01:06:55Z', stars: 1_000, contributors: { jcpeterson: 20, 'anon:Joshua Peterson': 3 } },
  { fullName: 'microsoft/DialoGPT', description: 'Large-scale pretraining for dialogue', license: { spdx: 'MIT', text: mitLicenseText('Microsoft Corporation.', '2019') }, created: '2019-10-29T17:17:47Z', pushed: '2023-06-12T21:05:40Z', stars: 2_400, contributors: { dreasysnail: 30, intersun: 8 }, extra: { archived: true } },
  { fullName: 'dreasysnail/Dialogpt_dev', description: 'Development fork of DialoGPT', license: { spdx: 'MIT', text: mitLicenseText('Microsoft Corporation.', '2019') }, created: '2019-11-01T08:00:00Z', pushed: '2020-02-10T08:00:00Z', stars: 12, contributors: { dreasysnail: 10 }, extra: { fork: true } },
  { fullName: 'zihangdai/xlnet', description: 'XLNet: Generalized Autoregressive Pretraining for Language Understanding', license: { spdx: 'Apache-2.0' }, created: '2019-06-19T08:16:46Z', pushed: '2019-12-06T00:10:21Z', stars: 6_200, contributors: { zihangdai: 30, kimiyoung: 10 } },
];

function syntheticFiles(name: string): GithubRepoSpec['files'] {
  const pkg = name.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  const blobs = ['.gitignore', 'LICENSE', 'README.md', 'requirements.txt', 'setup.py', `${pkg}/__init__.py`, `${pkg}/model.py`, `${pkg}/train.py`, 'tests/test_model.py', '.github/workflows/ci.yml'];
  const trees = ['.github', '.github/workflows', pkg, 'tests'];
  return [...blobs.map((path) => ({ path, type: 'blob' as const, size: 900 + path.length * 7 })), ...trees.map((path) => ({ path, type: 'tree' as const, size: null }))];
}

function fromSynthetic(repo: SyntheticRepo): GithubRepoSpec {
  const name = repo.fullName.split('/')[1] ?? repo.fullName;
  const licenseText = repo.license.text ?? (repo.license.spdx === 'Apache-2.0' ? apacheLicenseText() : undefined);
  return {
    fullName: repo.fullName,
    description: repo.description,
    homepage: null,
    defaultBranch: 'main',
    topics: [],
    language: 'Python',
    archived: false,
    fork: false,
    createdAt: repo.created,
    updatedAt: repo.pushed,
    pushedAt: repo.pushed,
    stars: repo.stars,
    forks: Math.round(repo.stars / 5),
    openIssues: Math.round(repo.stars / 200),
    subscribers: Math.max(1, Math.round(repo.stars / 60)),
    licenseSpdx: repo.license.spdx,
    texts: { 'README.md': `# ${name}\n\n${repo.description ?? ''}\n`, ...(licenseText ? { LICENSE: licenseText } : {}) },
    files: syntheticFiles(name).filter((file) => file.path !== 'LICENSE' || licenseText !== undefined),
    contributors: repo.contributors,
    pullRequests: 0,
    reviewed: true,
    gitTags: [],
    movedFrom: [],
    ...repo.extra,
  };
}

/** Every repository of the GitHub reference file, then the ones model cards link to. */
export function githubRepoSpecs(): GithubRepoSpec[] {
  return [...Object.values(referenceGithubRepos()).map(fromReference), ...SYNTHETIC.map(fromSynthetic)];
}
