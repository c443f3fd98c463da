import { gzipSync } from 'node:zlib';
import { deterministicBytes, stableInt } from './bytes';

type Dtype = 'F32' | 'BF16' | 'F16';
const BYTES_PER_ELEMENT: Record<Dtype, number> = { F32: 4, BF16: 2, F16: 2 };

interface TensorSpec {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
}

/** Tensor names per model family; `{i}` is the layer (one layer per shard when sharded). */
const TENSOR_NAMES: Record<string, readonly string[]> = {
  bert: ['bert.embeddings.word_embeddings.weight', 'bert.encoder.layer.{i}.attention.self.query.weight', 'bert.encoder.layer.{i}.attention.self.query.bias', 'bert.encoder.layer.{i}.output.LayerNorm.weight'],
  distilbert: ['distilbert.embeddings.word_embeddings.weight', 'distilbert.transformer.layer.{i}.attention.q_lin.weight', 'distilbert.transformer.layer.{i}.attention.q_lin.bias', 'distilbert.transformer.layer.{i}.output_layer_norm.weight'],
  roberta: ['roberta.embeddings.word_embeddings.weight', 'roberta.encoder.layer.{i}.attention.self.query.weight', 'roberta.encoder.layer.{i}.attention.self.query.bias', 'roberta.encoder.layer.{i}.output.LayerNorm.weight'],
  albert: ['albert.embeddings.word_embeddings.weight', 'albert.encoder.albert_layer_groups.{i}.albert_layers.0.attention.query.weight', 'albert.encoder.albert_layer_groups.{i}.albert_layers.0.attention.query.bias', 'albert.encoder.albert_layer_groups.{i}.albert_layers.0.full_layer_layer_norm.weight'],
  bart: ['model.shared.weight', 'model.encoder.layers.{i}.self_attn.q_proj.weight', 'model.encoder.layers.{i}.self_attn.q_proj.bias', 'model.encoder.layers.{i}.self_attn_layer_norm.weight'],
  whisper: ['model.decoder.embed_tokens.weight', 'model.encoder.layers.{i}.self_attn.q_proj.weight', 'model.encoder.layers.{i}.self_attn.q_proj.bias', 'model.encoder.layers.{i}.self_attn_layer_norm.weight'],
  t5: ['shared.weight', 'encoder.block.{i}.layer.0.SelfAttention.q.weight', 'decoder.block.{i}.layer.0.SelfAttention.q.weight', 'encoder.block.{i}.layer.0.layer_norm.weight'],
  gpt2: ['transformer.wte.weight', 'transformer.h.{i}.attn.c_attn.weight', 'transformer.h.{i}.attn.c_attn.bias', 'transformer.h.{i}.ln_1.weight'],
  gemma: ['model.embed_tokens.weight', 'model.layers.{i}.self_attn.q_proj.weight', 'model.layers.{i}.mlp.down_proj.weight', 'model.layers.{i}.input_layernorm.weight'],
  lora: ['base_model.model.bert.encoder.layer.{i}.attention.self.query.lora_A.weight', 'base_model.model.bert.encoder.layer.{i}.attention.self.query.lora_B.weight', 'base_model.model.bert.encoder.layer.{i}.attention.self.value.lora_A.weight', 'base_model.model.bert.encoder.layer.{i}.attention.self.value.lora_B.weight'],
};
const SHAPES: readonly (readonly number[])[] = [[32, 16], [16, 16], [16], [16]];
const LORA_SHAPES: readonly (readonly number[])[] = [[4, 16], [16, 4], [4, 16], [16, 4]];

export function tensorFamily(modelType: string): string {
  if (modelType.startsWith('gemma')) return 'gemma';
  if (modelType === 'xlnet') return 'bert';
  return TENSOR_NAMES[modelType] ? modelType : 'bert';
}

/** The tensors of one shard: shard 0 carries the embeddings, every shard carries one layer. */
function shardTensors(family: string, dtype: Dtype, shard: number): TensorSpec[] {
  const names = TENSOR_NAMES[family] ?? TENSOR_NAMES.bert ?? [];
  const shapes = family === 'lora' ? LORA_SHAPES : SHAPES;
  return names
    .map((template, index) => ({ template, shape: shapes[index] ?? [16] }))
    .filter(({ template }) => shard === 0 || template.includes('{i}'))
    .map(({ template, shape }) => ({ name: template.replace('{i}', String(shard)), dtype, shape }));
}

export interface SafetensorsShard {
  readonly bytes: Buffer;
  readonly tensorNames: readonly string[];
  readonly parameters: Record<string, number>;
  readonly dataSize: number;
}

/** A real safetensors file: u64 little-endian header length, JSON header padded to 8 bytes, then the data. */
export function safetensorsShard(seed: string, family: string, dtype: Dtype, shard = 0): SafetensorsShard {
  const tensors = shardTensors(family, dtype, shard);
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const parameters: Record<string, number> = {};
  let offset = 0;
  for (const tensor of tensors) {
    const elements = tensor.shape.reduce((product, dim) => product * dim, 1);
    const end = offset + elements * BYTES_PER_ELEMENT[tensor.dtype];
    header[tensor.name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, end] };
    parameters[tensor.dtype] = (parameters[tensor.dtype] ?? 0) + elements;
    offset = end;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const bytes = Buffer.concat([length, Buffer.from(json), deterministicBytes(seed, offset)]);
  return { bytes, tensorNames: tensors.map((tensor) => tensor.name), parameters, dataSize: offset };
}

export const dtypeFor = (torchDtype: unknown): Dtype => (torchDtype === 'bfloat16' ? 'BF16' : torchDtype === 'float16' ? 'F16' : 'F32');

const MAGIC: readonly (readonly [RegExp, Buffer])[] = [
  [/\.h5$/, Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])],
  [/\.tflite$/, Buffer.from('\x1c\x00\x00\x00TFL3', 'latin1')],
  [/\.parquet$/, Buffer.from('PAR1')],
];

/** A few KiB of stable bytes for a weight file, starting with the format's magic number where it has one. */
export function binaryPlaceholder(seed: string): Buffer {
  const body = deterministicBytes(seed, stableInt(seed, 2048, 6144));
  if (/\.(bin|pt|pth|ckpt|pkl|pickle|joblib|safetensors|gguf|onnx|npz)$/i.test(seed)) return wellFormedWeights(seed, body);
  if (/\.(tar\.)?gz$/.test(seed)) return gzipSync(body);
  const magic = MAGIC.find(([pattern]) => pattern.test(seed))?.[1];
  if (!magic) return body;
  const framed = Buffer.concat([magic, body]);
  return seed.endsWith('.parquet') ? Buffer.concat([framed, magic]) : framed;
}

const PICKLED_WEIGHTS = /\.(bin|pt|pth|ckpt|pkl|pickle|joblib)$/i;

/**
 * `size` bytes that are a well-formed file of the kind the path names, so the registry's content
 * scanner accepts them: a pickle of one bytes object, a safetensors file with one U8 tensor, a GGUF
 * header, an ONNX ModelProto with a producer name. Other paths get the filler as it is.
 */
export function wellFormedWeights(path: string, filler: Buffer): Buffer {
  const size = filler.length;
  if (PICKLED_WEIGHTS.test(path) && size >= 8) {
    // PROTO 3, BINBYTES <len> <bytes>, STOP: a pickle of one bytes object, nothing imported.
    const length = Buffer.alloc(4);
    length.writeUInt32LE(size - 8);
    return Buffer.concat([Buffer.from([0x80, 0x03, 0x42]), length, filler.subarray(0, size - 8), Buffer.from('.')]);
  }
  if (/\.safetensors$/i.test(path) && size >= 64) {
    const headerFor = (dataSize: number): string => JSON.stringify({ filler: { dtype: 'U8', shape: [dataSize], data_offsets: [0, dataSize] } });
    let header = headerFor(size - 8 - 64);
    header = headerFor(size - 8 - header.length);
    const dataSize = size - 8 - header.length;
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    return Buffer.concat([length, Buffer.from(header), filler.subarray(0, dataSize)]);
  }
  if (/\.gguf$/i.test(path) && size >= 24) {
    const head = Buffer.alloc(24);
    head.write('GGUF', 0, 'latin1');
    head.writeUInt32LE(3, 4);
    return Buffer.concat([head, filler.subarray(0, size - 24)]);
  }
  if (/\.onnx$/i.test(path) && size >= 8) {
    // ir_version = 8 (field 1, varint), then producer_name (field 2, bytes) filling the rest.
    const body = size - 5;
    const varint = body < 128 ? Buffer.from([body]) : Buffer.from([(body & 0x7f) | 0x80, body >> 7]);
    return Buffer.concat([Buffer.from([0x08, 0x08, 0x12]), varint, filler.subarray(0, size - 3 - varint.length)]);
  }
  if (/\.npz$/i.test(path) && size >= 22 && size - 22 <= 0xffff) {
    // An empty zip: the end-of-central-directory record, its comment filling the rest.
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(size - 22, 20);
    return Buffer.concat([end, Buffer.from(filler.subarray(0, size - 22).map((value) => (value === 0x50 ? 0x51 : value)))]);
  }
  return filler;
}
