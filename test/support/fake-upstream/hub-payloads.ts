import { fakeSha, sha1Hex } from './bytes';
import type { HubFile, HubRepo } from './hub-repo';
import { transformersInfo } from './model-config';

type Json = Record<string, unknown>;

/** Keys `?expand=` accepts (the Hub answers 400 for any other). @huggingface/hub sends a subset of these. */
export const MODEL_EXPANDABLE = ['author', 'baseModels', 'cardData', 'childrenModelCount', 'config', 'createdAt', 'disabled', 'downloads', 'downloadsAllTime', 'gated', 'gguf', 'gitalyUid', 'inference', 'inferenceProviderMapping', 'lastModified', 'library_name', 'likes', 'mask_token', 'model-index', 'pipeline_tag', 'private', 'resourceGroup', 'safetensors', 'sha', 'siblings', 'spaces', 'tags', 'transformersInfo', 'trendingScore', 'usedStorage', 'widgetData', 'xetEnabled'];
export const DATASET_EXPANDABLE = ['author', 'cardData', 'citation', 'createdAt', 'description', 'disabled', 'downloads', 'downloadsAllTime', 'gated', 'gitalyUid', 'lastModified', 'likes', 'paperswithcode_id', 'private', 'resourceGroup', 'sha', 'siblings', 'tags', 'trendingScore', 'usedStorage', 'xetEnabled'];

const fileJson = (repo: HubRepo, path: string): Json | undefined => {
  const file = repo.files.find((candidate) => candidate.path === path && !candidate.lfs);
  try {
    return file ? (JSON.parse(file.content.toString('utf8')) as Json) : undefined;
  } catch {
    return undefined;
  }
};

function tensorsOf(file: HubFile): Record<string, { dtype?: string; shape?: number[] }> {
  try {
    const length = Number(file.content.readBigUInt64LE(0));
    return JSON.parse(file.content.subarray(8, 8 + length).toString('utf8')) as Record<string, { dtype?: string; shape?: number[] }>;
  } catch {
    return {}; // a deliberately broken file added by a test: the Hub just reports no parameters for it
  }
}

/** Parameter counts per dtype, read from the safetensors headers actually served. */
export function safetensorsSummary(repo: HubRepo): { parameters: Record<string, number>; total: number } | undefined {
  const parameters: Record<string, number> = {};
  for (const file of repo.files.filter((candidate) => candidate.path.endsWith('.safetensors'))) {
    for (const [name, tensor] of Object.entries(tensorsOf(file))) {
      if (name === '__metadata__' || !tensor.dtype || !Array.isArray(tensor.shape)) continue;
      parameters[tensor.dtype] = (parameters[tensor.dtype] ?? 0) + tensor.shape.reduce((product, dim) => product * dim, 1);
    }
  }
  const total = Object.values(parameters).reduce((sum, count) => sum + count, 0);
  return total > 0 ? { parameters, total } : undefined;
}

/** The `config` subset the Hub extracts: architectures, model_type, tokenizer_config, peft. */
function apiConfig(repo: HubRepo): Json | undefined {
  if (repo.spec.apiConfig) return repo.spec.apiConfig;
  const config = fileJson(repo, 'config.json');
  const tokenizer = fileJson(repo, 'tokenizer_config.json');
  const adapter = fileJson(repo, 'adapter_config.json');
  const pick = (source: Json | undefined, keys: readonly string[]): Json => Object.fromEntries(keys.filter((key) => source?.[key] !== undefined).map((key) => [key, source?.[key]]));
  const result: Json = {
    ...pick(config, ['architectures', 'model_type']),
    ...(tokenizer ? { tokenizer_config: pick(tokenizer, ['bos_token', 'eos_token', 'pad_token', 'unk_token', 'cls_token', 'sep_token', 'mask_token']) } : {}),
    ...(adapter ? { peft: pick(adapter, ['base_model_name_or_path', 'task_type']) } : {}),
  };
  return Object.keys(result).length > 0 ? result : undefined;
}

function baseModels(repo: HubRepo): Json | undefined {
  const base = repo.cardData.base_model;
  if (base === undefined) return undefined;
  const relation = repo.files.some((file) => file.path === 'adapter_config.json') ? 'adapter' : 'finetune';
  return { relation, models: (Array.isArray(base) ? base : [base]).map((id) => ({ id: String(id) })) };
}

export function siblings(repo: HubRepo, withBlobs: boolean): Json[] {
  return repo.files.map((file) =>
    withBlobs
      ? { rfilename: file.path, blobId: file.oid, size: file.size, ...(file.lfs ? { lfs: { sha256: file.lfs.oid, size: file.lfs.size, pointerSize: file.lfs.pointerSize } } : {}) }
      : { rfilename: file.path },
  );
}

const defined = (object: Json): Json => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));

function commonInfo(repo: HubRepo, sha: string, withBlobs: boolean): Json {
  return {
    _id: repo.mongoId,
    id: repo.id,
    author: repo.author,
    sha,
    lastModified: repo.lastModified,
    private: false,
    gated: repo.gated,
    disabled: false,
    downloads: repo.spec.downloads ?? 0,
    downloadsAllTime: (repo.spec.downloads ?? 0) * 12,
    likes: repo.spec.likes ?? 0,
    tags: repo.spec.tags ?? [],
    cardData: repo.cardData,
    createdAt: repo.createdAt,
    siblings: siblings(repo, withBlobs),
    usedStorage: repo.usedStorage,
    gitalyUid: sha1Hex(`gitaly:${repo.id}`),
    trendingScore: 0,
    xetEnabled: false,
  };
}

/** Everything the Hub returns for a model when no `expand` is given; `expand` picks from it. */
export function modelInfo(repo: HubRepo, sha: string, withBlobs: boolean): Json {
  const config = apiConfig(repo);
  const architecture = Array.isArray(config?.architectures) ? String(config.architectures[0]) : undefined;
  return defined({
    ...commonInfo(repo, sha, withBlobs),
    modelId: repo.id,
    pipeline_tag: repo.spec.pipelineTag,
    library_name: repo.spec.libraryName ?? repo.cardData.library_name ?? (repo.spec.tags?.includes('transformers') ? 'transformers' : undefined),
    config,
    transformersInfo: repo.spec.transformersInfo ?? (architecture ? transformersInfo(architecture, repo.spec.pipelineTag) : undefined),
    safetensors: safetensorsSummary(repo),
    widgetData: repo.cardData.widget,
    'model-index': repo.cardData['model-index'],
    baseModels: baseModels(repo),
    childrenModelCount: 0,
    spaces: [],
  });
}

export function datasetInfo(repo: HubRepo, sha: string, withBlobs: boolean): Json {
  return defined({
    ...commonInfo(repo, sha, withBlobs),
    citation: repo.spec.citation,
    description: repo.spec.description,
    paperswithcode_id: repo.spec.paperswithcodeId,
  });
}

/** `_id` and `id` always, then only the expanded keys (absent values stay absent, as on the Hub). */
export function expandInfo(full: Json, expand: readonly string[]): Json {
  return expand.length === 0 ? full : defined({ _id: full._id, id: full.id, ...Object.fromEntries(expand.map((key) => [key, full[key]])) });
}

const securityStatus = (file: HubFile): Json => ({
  status: 'safe',
  avScan: { status: 'safe', virusNames: null },
  ...(file.path.endsWith('.bin') ? { pickleImportScan: { status: 'innocuous', pickleImports: [{ module: 'torch._utils', name: '_rebuild_tensor_v2', safety: 'innocuous' }, { module: 'collections', name: 'OrderedDict', safety: 'innocuous' }] } } : {}),
});

export function fileEntry(file: HubFile, expand: boolean): Json {
  return {
    type: 'file',
    oid: file.oid,
    size: file.size,
    ...(file.lfs ? { lfs: file.lfs } : {}),
    path: file.path,
    ...(expand ? { lastCommit: file.lastCommit, securityFileStatus: securityStatus(file) } : {}),
  };
}

export function directoryEntry(repo: HubRepo, path: string, expand: boolean): Json {
  const lastCommit = { id: repo.sha, title: 'Update README.md', date: repo.lastModified };
  return { type: 'directory', oid: fakeSha(repo.id, 'tree', path), size: 0, path, ...(expand ? { lastCommit } : {}) };
}
