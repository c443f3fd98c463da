import { invalidInput } from './errors';

/**
 * The one place that decides which part of a package a file belongs to. Downloads of a part, size
 * cost and the UI all read this classification, so it must not be repeated elsewhere.
 */
export const PACKAGE_PARTS = ['weights', 'datasets', 'code', 'docs'] as const;
export type PackagePart = (typeof PACKAGE_PARTS)[number];

const WEIGHT_EXTENSIONS = new Set([
  'safetensors', 'bin', 'pt', 'pth', 'ckpt', 'h5', 'keras', 'onnx', 'tflite', 'gguf', 'ggml', 'msgpack',
  'pb', 'mlmodel', 'npz', 'pkl', 'pickle', 'joblib', 'params', 'engine', 'ot',
]);
const DATA_EXTENSIONS = new Set([
  'csv', 'tsv', 'parquet', 'arrow', 'jsonl', 'ndjson', 'feather', 'avro', 'orc', 'tfrecord', 'wav',
  'flac', 'mp3', 'jpg', 'jpeg', 'png', 'webp', 'npy', 'hdf5', 'zst', 'gz', 'tar', 'xz',
]);
const DOC_EXTENSIONS = new Set(['md', 'markdown', 'rst', 'txt', 'pdf', 'html', 'adoc']);
const DOC_BASENAMES = new Set(['license', 'licence', 'notice', 'authors', 'citation.cff', 'copying']);
// Tokenizer and dependency files read by programs, whose extensions would otherwise say "docs".
const CODE_BASENAMES = new Set([
  'vocab.txt', 'merges.txt', 'requirements.txt', 'spiece.model', 'tokenizer.model',
  'sentencepiece.bpe.model', 'special_tokens_map.txt', 'dict.txt',
]);
// Weights whose extension would otherwise say "datasets": a TensorFlow SavedModel shipped as an archive.
const WEIGHT_BASENAMES = /^saved_model\.(tar\.gz|tgz|zip)$|\.(safetensors|bin)\.index\.json$/;
const DATA_DIRECTORIES = new Set(['data', 'dataset', 'datasets', 'samples']);

const extensionOf = (basename: string): string => {
  const dot = basename.lastIndexOf('.');
  return dot <= 0 ? '' : basename.slice(dot + 1).toLowerCase();
};

/**
 * Weights are the model's learned parameters (including sharded and pickled checkpoints); datasets
 * are data files or anything under a data directory; docs are prose and legal files; everything
 * else — configs, tokenizers, scripts, notebooks — is code, because a program reads it.
 */
export function classifyPackageFile(path: string): PackagePart {
  const segments = path.toLowerCase().split('/');
  const basename = segments[segments.length - 1] ?? '';
  const extension = extensionOf(basename);
  if (CODE_BASENAMES.has(basename)) return 'code';
  if (WEIGHT_EXTENSIONS.has(extension) || WEIGHT_BASENAMES.test(basename)) {
    return 'weights';
  }
  if (segments.slice(0, -1).some((segment) => DATA_DIRECTORIES.has(segment))) return 'datasets';
  if (DATA_EXTENSIONS.has(extension)) return 'datasets';
  if (DOC_EXTENSIONS.has(extension) || DOC_BASENAMES.has(basename)) return 'docs';
  return 'code';
}

export function parsePackagePart(value: string): PackagePart {
  if ((PACKAGE_PARTS as readonly string[]).includes(value)) return value as PackagePart;
  throw invalidInput(`part must be one of ${PACKAGE_PARTS.join(', ')}; got "${value}"`);
}
