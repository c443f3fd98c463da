/** Small, plausible contents for the text files of a transformers repository. */

export interface TextContext {
  readonly repoId: string;
  readonly config: Record<string, unknown>;
  readonly licenseText: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** The .gitattributes the Hub creates for every new repository (abridged). */
export const HUB_GITATTRIBUTES = [
  '*.7z filter=lfs diff=lfs merge=lfs -text',
  '*.arrow filter=lfs diff=lfs merge=lfs -text',
  '*.bin filter=lfs diff=lfs merge=lfs -text',
  '*.ftz filter=lfs diff=lfs merge=lfs -text',
  '*.gz filter=lfs diff=lfs merge=lfs -text',
  '*.h5 filter=lfs diff=lfs merge=lfs -text',
  '*.mlmodel filter=lfs diff=lfs merge=lfs -text',
  '*.model filter=lfs diff=lfs merge=lfs -text',
  '*.msgpack filter=lfs diff=lfs merge=lfs -text',
  '*.onnx filter=lfs diff=lfs merge=lfs -text',
  '*.ot filter=lfs diff=lfs merge=lfs -text',
  '*.parquet filter=lfs diff=lfs merge=lfs -text',
  '*.pt filter=lfs diff=lfs merge=lfs -text',
  '*.safetensors filter=lfs diff=lfs merge=lfs -text',
  '*.tflite filter=lfs diff=lfs merge=lfs -text',
  '*tfevents* filter=lfs diff=lfs merge=lfs -text',
  '',
].join('\n');

const WORDPIECE = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'the', 'of', 'and', 'in', 'to', '##s', '##ing'];
const BPE = ['<s>', '<pad>', '</s>', '<unk>', '.', 'Ġthe', ',', 'Ġto', 'Ġand', 'Ġof', 'Ġa', '<mask>'];

const isWordPiece = (config: Record<string, unknown>): boolean => ['bert', 'distilbert'].includes(String(config.model_type));

function specialTokens(config: Record<string, unknown>): Record<string, string> {
  if (isWordPiece(config)) return { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };
  if (String(config.model_type).startsWith('gemma')) return { bos_token: '<bos>', eos_token: '<eos>', pad_token: '<pad>', unk_token: '<unk>' };
  if (['t5', 'albert', 'xlnet'].includes(String(config.model_type))) return { eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>' };
  if (['gpt2', 'whisper'].includes(String(config.model_type))) {
    return { bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', unk_token: '<|endoftext|>' };
  }
  return { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>', pad_token: '<pad>', mask_token: '<mask>' };
}

export function tokenizerConfig(config: Record<string, unknown>): Record<string, unknown> {
  const lowerCase = isWordPiece(config) ? { do_lower_case: !/cased/.test(String(config._name_or_path)) || /uncased/.test(String(config._name_or_path)) } : {};
  return { ...lowerCase, model_max_length: config.max_position_embeddings ?? config.n_positions ?? 512, ...specialTokens(config) };
}

function tokenizerJson(config: Record<string, unknown>): Record<string, unknown> {
  const tokens = isWordPiece(config) ? WORDPIECE : BPE;
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: tokens.slice(0, 4).map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    model: { type: isWordPiece(config) ? 'WordPiece' : 'BPE', vocab: Object.fromEntries(tokens.map((token, id) => [token, id])) },
  };
}

const GENERATORS: readonly (readonly [RegExp, (context: TextContext) => string])[] = [
  [/(^|\/)\.gitattributes$/, () => HUB_GITATTRIBUTES],
  [/(^|\/)LICENSE$/, (context) => context.licenseText],
  [/(^|\/)config\.json$/, (context) => json(context.config)],
  [/(^|\/)generation_config[^/]*\.json$/, ({ config }) => json({ _from_model_config: true, bos_token_id: config.bos_token_id ?? 0, eos_token_id: config.eos_token_id ?? 1, transformers_version: config.transformers_version })],
  [/(^|\/)tokenizer_config\.json$/, ({ config }) => json(tokenizerConfig(config))],
  [/(^|\/)special_tokens_map\.json$/, ({ config }) => json(specialTokens(config))],
  [/(^|\/)added_tokens\.json$/, () => json({ '<|endoftext|>': 50257 })],
  [/(^|\/)vocab\.txt$/, () => `${WORDPIECE.join('\n')}\n`],
  [/(^|\/)vocab\.json$/, () => json(Object.fromEntries(BPE.map((token, id) => [token, id])))],
  [/(^|\/)merges\.txt$/, () => '#version: 0.2\nĠ t\nĠ a\nh e\ni n\nr e\n'],
  [/(^|\/)dict\.txt$/, () => '13 850314647\n262 800385005\n11 800251374\n284 432911125\n'],
  [/(^|\/)tokenizer\.json$/, ({ config }) => json(tokenizerJson(config))],
  [/(^|\/)normalizer\.json$/, () => json({ accepted: 'accept', acknowledgement: 'acknowledgment', analyse: 'analyze' })],
  [/(^|\/)preprocessor_config\.json$/, () => json({ chunk_length: 30, feature_extractor_type: 'WhisperFeatureExtractor', feature_size: 80, hop_length: 160, n_fft: 400, sampling_rate: 16000 })],
  [/(^|\/)Manifest\.json$/, ({ repoId }) => json({ fileFormatVersion: '1.0.0', itemInfoEntries: { model: { author: 'com.apple.CoreML', description: `CoreML export of ${repoId}`, name: 'model.mlmodel', path: 'com.apple.CoreML/model.mlmodel' } }, rootModelIdentifier: 'model' })],
  [/\.json$/, ({ repoId }) => json({ _comment: `fixture for ${repoId}` })],
  [/\.(txt|md|py)$/, ({ repoId }) => `# ${repoId}\n`],
];

/** The text content for a repository path, or undefined when the path holds binary data. */
export function textContent(path: string, context: TextContext): string | undefined {
  return GENERATORS.find(([pattern]) => pattern.test(path))?.[1](context);
}
