import { weightFiles, type Evidence, type EvidenceFile } from './evidence';
import { SIZE_DEVICES, fmt, type MetricResult, type SizeDevice, type SizeScore } from './metric';

/**
 * Per device, weights up to `comfortable` bytes score 1, from `impossible` bytes on they score 0, and in
 * between the score falls linearly. Decimal units (1 GB = 10^9 bytes).
 */
export const SIZE_BUDGETS: Readonly<Record<SizeDevice, { readonly comfortable: number; readonly impossible: number; readonly hardware: string }>> = {
  raspberry_pi: { comfortable: 0.2e9, impossible: 2e9, hardware: 'Raspberry Pi 4/5, 4 GB RAM shared with the OS, CPU only' },
  jetson_nano: { comfortable: 0.5e9, impossible: 4e9, hardware: 'Jetson Nano, 4 GB unified memory' },
  desktop_pc: { comfortable: 4e9, impossible: 32e9, hardware: 'desktop, 16-32 GB RAM, 8-24 GB GPU' },
  aws_server: { comfortable: 40e9, impossible: 400e9, hardware: 'multi-GPU cloud instance, e.g. 8 x 40 GB' },
};

const FORMAT_BY_EXTENSION: Readonly<Record<string, string>> = {
  safetensors: 'safetensors', bin: 'pytorch', pt: 'pytorch', pth: 'pytorch', ckpt: 'pytorch',
  h5: 'tensorflow', keras: 'tensorflow', pb: 'tensorflow', msgpack: 'flax', onnx: 'onnx', tflite: 'tflite',
  gguf: 'gguf', ggml: 'gguf', mlmodel: 'coreml', ot: 'rust',
};
// Trainer checkpoint state that is pickled like weights but is not needed to run the model.
const TRAINING_STATE = /^(optimizer\.pt|scheduler\.pt|scaler\.pt|rng_state[^/]*\.pth|training_args\.bin)$/i;
const VARIANT = /[._-](fp16|bf16|fp32|int8|int4|quantized|q[2-8](_[a-z0-9]+)*)(?=[._-]|$)/i;
const SHARD = /[-_.]\d{5}-of-\d{5}/;

/** Which alternative copy of the weights a file belongs to: its format, plus precision variant. */
function formatOf(file: EvidenceFile): string {
  const lower = file.path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1).replace(/\.index\.json$/, '');
  const format = lower.includes('.mlpackage/') ? 'coreml' : base.startsWith('saved_model.') ? 'tensorflow' : FORMAT_BY_EXTENSION[base.slice(base.lastIndexOf('.') + 1)] ?? 'other';
  if (format === 'gguf') return `gguf:${base.replace(SHARD, '').replace(/\.(gguf|ggml)$/, '')}`;
  const variant = VARIANT.exec(base.replace(/\.[a-z0-9]+$/, ''))?.[1];
  return variant ? `${format}:${variant}` : format;
}

/** Bytes of each alternative copy of the weights, largest first. */
export function weightFormats(files: readonly EvidenceFile[]): { readonly format: string; readonly bytes: number; readonly files: number }[] {
  const groups = new Map<string, { bytes: number; files: number }>();
  for (const file of weightFiles(files)) {
    if (TRAINING_STATE.test(file.path.slice(file.path.lastIndexOf('/') + 1))) continue;
    const format = formatOf(file);
    const group = groups.get(format) ?? { bytes: 0, files: 0 };
    groups.set(format, { bytes: group.bytes + Math.max(0, file.size), files: group.files + 1 });
  }
  return [...groups].map(([format, group]) => ({ format, ...group })).sort((a, b) => b.bytes - a.bytes || (a.format < b.format ? -1 : 1));
}

export function deviceScore(bytes: number, device: SizeDevice): number {
  const { comfortable, impossible } = SIZE_BUDGETS[device];
  if (bytes <= comfortable) return 1;
  if (bytes >= impossible) return 0;
  return (impossible - bytes) / (impossible - comfortable);
}

const gb = (bytes: number): string => `${fmt(bytes / 1e9)} GB`;

/**
 * How well the model fits each device. Repositories often carry the same weights in several formats
 * (safetensors, PyTorch, TensorFlow, ONNX…); a deployment downloads one, so the size is that of the
 * smallest complete copy. No weight files at all scores 0 everywhere: there is nothing to deploy.
 */
export function sizeScore(evidence: Evidence): MetricResult<SizeScore> {
  const formats = weightFormats(evidence.files);
  const smallest = formats[formats.length - 1];
  if (!smallest) {
    return {
      value: { raspberry_pi: 0, jetson_nano: 0, desktop_pc: 0, aws_server: 0 },
      applicable: true,
      inputs: { weightBytes: 0, formats: [] },
      explanation: ['no weight files found: there is nothing to deploy'],
    };
  }
  const value = Object.fromEntries(SIZE_DEVICES.map((device) => [device, deviceScore(smallest.bytes, device)])) as Record<SizeDevice, number>;
  return {
    value,
    applicable: true,
    inputs: { weightBytes: smallest.bytes, format: smallest.format, formats, budgets: SIZE_BUDGETS },
    explanation: [
      `deployable weights: ${gb(smallest.bytes)} (${smallest.format}, ${smallest.files} file${smallest.files === 1 ? '' : 's'})${formats.length > 1 ? `; other copies: ${formats.slice(0, -1).slice(-4).map((item) => `${item.format} ${gb(item.bytes)}`).join(', ')}` : ''}`,
      ...SIZE_DEVICES.map((device) => `${device}: ${fmt(value[device])} (full up to ${gb(SIZE_BUDGETS[device].comfortable)}, 0 from ${gb(SIZE_BUDGETS[device].impossible)})`),
    ],
  };
}
