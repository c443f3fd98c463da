import type { CodeBlock } from './card-text';

/**
 * Static reading of a card's demo code: what it imports, which model it loads, what a user would have
 * to fix before it runs. Regular expressions over bounded text, no execution.
 */
export const KNOWN_LIBRARIES: ReadonlySet<string> = new Set([
  'transformers', 'torch', 'diffusers', 'sentence_transformers', 'datasets', 'peft', 'timm', 'tensorflow', 'keras',
  'jax', 'flax', 'numpy', 'PIL', 'requests', 'accelerate', 'evaluate', 'huggingface_hub', 'optimum', 'onnxruntime',
  'tokenizers', 'safetensors', 'scipy', 'pandas', 'soundfile', 'librosa', 'torchaudio', 'torchvision', 'bitsandbytes',
  'sklearn', 'matplotlib', 'cv2', 'trl', 'gradio', 'open_clip', 'llama_cpp', 'vllm', 'spacy', 'nltk', 'sentencepiece',
  // The standard library.
  'os', 'sys', 'json', 're', 'math', 'time', 'io', 'pathlib', 'typing', 'random', 'collections', 'itertools',
  'functools', 'urllib', 'base64', 'dataclasses', 'argparse', 'logging', 'warnings', 'textwrap', 'string', 'glob',
]);

export type Verdict = 0 | 0.5 | 1;
/** What a loaded model id is, seen from the card's model: itself, a local copy, a sibling, a blank to fill, or another model. */
export type RefKind = 'this' | 'local' | 'same-family' | 'placeholder' | 'other';

export interface BlockAnalysis {
  /** 1-based position among the card's code blocks. */
  readonly block: number;
  readonly lang: string;
  readonly verdict: Verdict;
  readonly imports: readonly string[];
  readonly unknownImports: readonly string[];
  readonly missingImports: readonly string[];
  readonly placeholders: readonly string[];
  readonly modelRefs: readonly { readonly ref: string; readonly kind: RefKind }[];
  readonly reasons: readonly string[];
}

export interface ModelIdentity {
  readonly repo: string;
  /** Other ids the same model answers to (a legacy id without owner, a local path name). */
  readonly aliases?: readonly string[];
}

const PYTHON_LANGS = new Set(['python', 'py', 'python3', 'ipython', 'pycon', 'jupyter']);
const LOADS_MODEL = /from_pretrained\s*\(|\bpipeline\s*\(|SentenceTransformer\s*\(|hf_hub_download\s*\(|snapshot_download\s*\(|create_model\s*\(|load_model\s*\(|\bLlama\s*\(|\bLLM\s*\(/;
const LOAD_ARGUMENT = /(from_pretrained|pipeline|SentenceTransformer|hf_hub_download|snapshot_download|create_model|load_model|Llama|LLM)\s*\(([^)]{0,400})/g;
const NAMED_ARGUMENT = /\b(?:model|model_id|model_name|model_name_or_path|model_path|checkpoint|ckpt|repo_id|pretrained_model_name_or_path|base_model)\s*=\s*(['"])([^'"\n]{1,200})\1/g;
const STRING = /(['"])([^'"\n]{1,200})\1/g;
const PLACEHOLDERS: readonly (readonly [RegExp, string])[] = [
  [/<\s*(your|insert|enter|replace|path|model[_-]?(id|name|path)|api[_-]?key|hf[_-]?token|token)[^<>\n]{0,40}>/i, '<your-…> placeholder'],
  [/\bYOUR_[A-Z0-9_]+/, 'YOUR_… placeholder'],
  [/path\/to\//i, '"path/to/" placeholder'],
  [/\bhf_x{3,}/i, 'dummy hf_xxx token'],
  [/^\s*\.\.\.\s*$|\(\s*\.\.\.\s*\)|=\s*\.\.\.\s*$/m, '"..." elided code'],
  [/more information needed/i, 'template placeholder'],
];
const LIBRARY_PREFIXES: Readonly<Record<string, string>> = { torch: 'torch', np: 'numpy', tf: 'tensorflow', jnp: 'jax', jax: 'jax', pd: 'pandas', plt: 'matplotlib', requests: 'requests' };
const CLASS_USE = /\b([A-Z][A-Za-z0-9]*(?:Tokenizer|TokenizerFast|Processor|FeatureExtractor|Model|LMHeadModel|Config|Pipeline|Transformer)|[A-Z][A-Za-z0-9]*For[A-Z][A-Za-z0-9]*|pipeline)\s*[.(]/g;

export const isPythonBlock = (block: CodeBlock): boolean =>
  PYTHON_LANGS.has(block.lang) || (block.lang === '' && (/^\s*(>>>\s*)?(from\s+[\w.]+\s+)?import\s+\w/m.test(block.code) || LOADS_MODEL.test(block.code)));

// Real demo lines are short; cutting hostile ones keeps every pattern below cheap.
const MAX_LINE = 500;
const MAX_LINES = 400;

/** Doctest blocks (`>>>`) keep only their input lines; output is not code. Lines are bounded. */
export function sourceOf(code: string): string {
  const lines = code.split('\n').slice(0, MAX_LINES * 4).map((line) => line.slice(0, MAX_LINE));
  const doctest = lines.some((line) => /^\s*>>>/.test(line));
  const kept = doctest ? lines.filter((line) => /^\s*(>>>|\.\.\.)( |$)/.test(line)).map((line) => line.replace(/^\s*(>>>|\.\.\.) ?/, '')) : lines;
  return kept.slice(0, MAX_LINES).join('\n');
}

interface Bindings {
  readonly modules: string[];
  readonly names: Set<string>;
}

// `from x import (\n  A,\n  B,\n)` as one line, so every imported name is seen.
const joinImportLists = (source: string): string =>
  source.replace(/(from\s+[\w.]+\s+import\s*)\(([^)]{0,2000})\)/g, (_, head: string, list: string) => `${head}${list.replace(/\s+/g, ' ')}`);

function bindings(source: string): Bindings {
  const modules: string[] = [];
  const names = new Set<string>();
  for (const line of joinImportLists(source).split('\n')) {
    const from = /^\s*from\s+([\w.]+)\s+import\s+\(?([\w\s,.*]+)/.exec(line);
    const plain = /^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)/.exec(line);
    if (from) {
      modules.push((from[1] ?? '').split('.')[0] ?? '');
      for (const item of (from[2] ?? '').split(',')) names.add(item.trim().split(/\s+as\s+/).pop()?.trim() ?? '');
    } else if (plain) {
      for (const item of (plain[1] ?? '').split(',')) {
        const [module = '', alias] = item.trim().split(/\s+as\s+/);
        modules.push(module.split('.')[0] ?? '');
        names.add((alias ?? module.split('.')[0] ?? '').trim());
      }
    }
    const assigned = /^\s*(?:def|class)\s+(\w+)|^\s*(\w+)\s*(?::[^=]*)?=(?!=)|\bas\s+(\w+)\s*:|^\s*for\s+(\w+)/.exec(line);
    const name = assigned?.slice(1).find((group) => group !== undefined);
    if (name) names.add(name);
  }
  return { modules: [...new Set(modules.filter((module) => module !== ''))], names };
}

function missingImports(source: string, bound: Bindings): string[] {
  const missing = new Set<string>();
  for (const [prefix, library] of Object.entries(LIBRARY_PREFIXES)) {
    if (new RegExp(`(^|[^\\w.])${prefix}\\.\\w`).test(source) && !bound.names.has(prefix)) missing.add(library);
  }
  for (const match of source.matchAll(CLASS_USE)) {
    const name = match[1] ?? '';
    if (!bound.names.has(name)) missing.add(name);
  }
  return [...missing].slice(0, 10);
}

function familyOf(id: string): string {
  const name = id.slice(id.lastIndexOf('/') + 1).toLowerCase();
  return name.split(/[-_.]/)[0] ?? name;
}

function classifyRef(ref: string, identity: ModelIdentity): RefKind {
  const lower = ref.toLowerCase();
  if (PLACEHOLDERS.some(([pattern]) => pattern.test(ref))) return 'placeholder';
  const names = [identity.repo, identity.repo.slice(identity.repo.lastIndexOf('/') + 1), ...(identity.aliases ?? [])].map((name) => name.toLowerCase());
  if (names.includes(lower)) return 'this';
  if (/^(\.{1,2}(\/|$)|\/|~\/)/.test(ref)) return 'local';
  return familyOf(ref) === familyOf(identity.repo) ? 'same-family' : 'other';
}

const PIPELINE_TASK = /^[a-z]+(-[a-z]+)*(_[a-z]{2}_to_[a-z]{2})?$/;

/** The first string argument of a loading call (a pipeline's task excepted) and model-ish assignments. */
function modelRefs(source: string): string[] {
  const refs: string[] = [];
  for (const match of source.matchAll(LOAD_ARGUMENT)) {
    const literals = [...(match[2] ?? '').matchAll(STRING)].map((literal) => literal[2] ?? '');
    const first = match[1] === 'pipeline' && PIPELINE_TASK.test(literals[0] ?? '') ? undefined : literals[0];
    if (first !== undefined) refs.push(first);
  }
  for (const match of source.matchAll(NAMED_ARGUMENT)) refs.push(match[2] ?? '');
  return [...new Set(refs.filter((ref) => ref !== '' && !/^https?:/.test(ref)))].slice(0, 20);
}

/**
 * 1: loads this model (or a local path), imports only known libraries, nothing to fill in.
 * 0.5: would run after small fixes — placeholders (also in place of the model id), a missing import, an
 * unknown library, or it loads another model of the same family (or none by name).
 * 0: does not load a model, or loads only unrelated ones.
 */
export function analyseBlock(block: CodeBlock, index: number, identity: ModelIdentity): BlockAnalysis {
  const source = sourceOf(block.code);
  const bound = bindings(source);
  const unknown = bound.modules.filter((module) => !KNOWN_LIBRARIES.has(module));
  const missing = missingImports(source, bound);
  const placeholders = PLACEHOLDERS.filter(([pattern]) => pattern.test(source)).map(([, label]) => label);
  const refs = modelRefs(source).map((ref) => ({ ref, kind: classifyRef(ref, identity) }));
  const loads = LOADS_MODEL.test(source);
  const reaches = refs.some((ref) => ref.kind === 'this' || ref.kind === 'local');
  const family = refs.some((ref) => ref.kind === 'same-family');
  const blank = refs.some((ref) => ref.kind === 'placeholder');
  const reasons: string[] = [];
  if (!loads) reasons.push('loads no model');
  else if (refs.length > 0 && !reaches && !family && !blank) reasons.push(`loads another model (${refs[0]?.ref})`);
  if (loads && !reaches && family) reasons.push(`loads a sibling model (${refs.find((ref) => ref.kind === 'same-family')?.ref}), not this one`);
  if (loads && refs.length === 0) reasons.push('does not name the model it loads');
  if (placeholders.length > 0) reasons.push(`has ${placeholders.join(', ')}`);
  if (missing.length > 0) reasons.push(`uses ${missing.join(', ')} without importing it`);
  if (unknown.length > 0) reasons.push(`imports libraries outside the known set: ${unknown.join(', ')}`);
  const fatal = !loads || (refs.length > 0 && !reaches && !family && !blank);
  const verdict: Verdict = fatal ? 0 : reasons.length > 0 || bound.modules.length === 0 ? 0.5 : 1;
  if (verdict === 0.5 && reasons.length === 0) reasons.push('imports nothing');
  return { block: index + 1, lang: block.lang || 'unlabelled', verdict, imports: bound.modules, unknownImports: unknown, missingImports: missing, placeholders, modelRefs: refs, reasons };
}
