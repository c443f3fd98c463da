/** Plausible transformers config.json values per model_type (the real files carry many more keys). */
const BY_MODEL_TYPE: Record<string, Record<string, unknown>> = {
  bert: { architectures: ['BertForMaskedLM'], hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072, vocab_size: 30522, max_position_embeddings: 512, hidden_act: 'gelu', type_vocab_size: 2, layer_norm_eps: 1e-12, pad_token_id: 0 },
  distilbert: { architectures: ['DistilBertForMaskedLM'], dim: 768, n_layers: 6, n_heads: 12, hidden_dim: 3072, vocab_size: 30522, max_position_embeddings: 512, activation: 'gelu', pad_token_id: 0 },
  roberta: { architectures: ['RobertaForMaskedLM'], hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, vocab_size: 50265, max_position_embeddings: 514, bos_token_id: 0, eos_token_id: 2, pad_token_id: 1 },
  bart: { architectures: ['BartModel'], d_model: 768, encoder_layers: 6, decoder_layers: 6, vocab_size: 50265, max_position_embeddings: 1024, bos_token_id: 0, eos_token_id: 2, pad_token_id: 1 },
  whisper: { architectures: ['WhisperForConditionalGeneration'], d_model: 384, encoder_layers: 4, decoder_layers: 4, num_mel_bins: 80, vocab_size: 51865, max_source_positions: 1500, max_target_positions: 448, bos_token_id: 50257, eos_token_id: 50257 },
  gemma3_text: { architectures: ['Gemma3ForCausalLM'], hidden_size: 640, num_hidden_layers: 18, num_attention_heads: 4, vocab_size: 262144, max_position_embeddings: 32768, torch_dtype: 'bfloat16', bos_token_id: 2, eos_token_id: 1, pad_token_id: 0 },
  gemma2: { architectures: ['Gemma2ForCausalLM'], hidden_size: 2304, num_hidden_layers: 26, num_attention_heads: 8, vocab_size: 256000, max_position_embeddings: 8192, torch_dtype: 'float32', bos_token_id: 2, eos_token_id: 1, pad_token_id: 0 },
  t5: { architectures: ['T5ForConditionalGeneration'], d_model: 512, num_layers: 6, num_heads: 8, d_ff: 2048, vocab_size: 32128, eos_token_id: 1, pad_token_id: 0, decoder_start_token_id: 0 },
  gpt2: { architectures: ['GPT2LMHeadModel'], n_embd: 768, n_layer: 12, n_head: 12, n_positions: 1024, vocab_size: 50257, bos_token_id: 50256, eos_token_id: 50256 },
  albert: { architectures: ['AlbertForMaskedLM'], hidden_size: 768, embedding_size: 128, num_hidden_layers: 12, num_attention_heads: 12, vocab_size: 30000, bos_token_id: 2, eos_token_id: 3, pad_token_id: 0 },
  xlnet: { architectures: ['XLNetLMHeadModel'], d_model: 768, n_layer: 12, n_head: 12, vocab_size: 32000, bos_token_id: 1, eos_token_id: 2, pad_token_id: 5 },
};

const BY_REPO: Record<string, Record<string, unknown>> = {
  'parvk11/audience_classifier_model': {
    _name_or_path: 'distilbert-base-uncased',
    architectures: ['DistilBertForSequenceClassification'],
    id2label: { 0: 'general', 1: 'technical' },
    label2id: { general: 0, technical: 1 },
    problem_type: 'single_label_classification',
  },
  'distilbert/distilbert-base-uncased-distilled-squad': { architectures: ['DistilBertForQuestionAnswering'] },
  'facebook/bart-large': { d_model: 1024, encoder_layers: 12, decoder_layers: 12 },
  'google/flan-t5-small': { num_layers: 8, num_decoder_layers: 8, d_ff: 1024, feed_forward_proj: 'gated-gelu' },
  'google-bert/bert-base-cased': { vocab_size: 28996 },
};

const MODEL_TYPES = ['gemma3_text', 'gemma2', 'distilbert', 'roberta', 'albert', 'xlnet', 'whisper', 'bart', 'gpt2', 't5', 'bert'];

export const modelTypeOf = (tags: readonly string[]): string => MODEL_TYPES.find((type) => tags.includes(type)) ?? 'bert';

/** The config.json a transformers checkpoint of this type would carry. */
export function transformersConfig(repoId: string, nameOrPath: string, modelType: string): Record<string, unknown> {
  return {
    _name_or_path: nameOrPath,
    model_type: modelType,
    torch_dtype: 'float32',
    transformers_version: '4.40.0',
    ...BY_MODEL_TYPE[modelType],
    ...BY_REPO[repoId],
  };
}

const AUTO_CLASS: readonly (readonly [RegExp, string])[] = [
  [/ForMaskedLM$/, 'AutoModelForMaskedLM'],
  [/ForSequenceClassification$/, 'AutoModelForSequenceClassification'],
  [/ForQuestionAnswering$/, 'AutoModelForQuestionAnswering'],
  [/(ForCausalLM|LMHeadModel)$/, 'AutoModelForCausalLM'],
  [/T5ForConditionalGeneration$/, 'AutoModelForSeq2SeqLM'],
  [/WhisperForConditionalGeneration$/, 'AutoModelForSpeechSeq2Seq'],
];

/** The `transformersInfo` block the Hub derives from config.json. */
export function transformersInfo(architecture: string, pipelineTag: string | undefined): Record<string, unknown> {
  const autoModel = AUTO_CLASS.find(([pattern]) => pattern.test(architecture))?.[1] ?? 'AutoModel';
  const processor = architecture.startsWith('Whisper') ? 'AutoProcessor' : 'AutoTokenizer';
  return { auto_model: autoModel, ...(pipelineTag ? { pipeline_tag: pipelineTag } : {}), processor };
}
