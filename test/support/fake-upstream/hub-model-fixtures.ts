import { stableInt } from './bytes';
import { textContent } from './hub-file-content';
import { isLfsPath, type HubRepoSpec } from './hub-repo';
import { modelTypeOf, transformersConfig } from './model-config';
import { referenceModels, type ReferenceModel } from '../reference-data';
import { binaryPlaceholder, dtypeFor, safetensorsShard, tensorFamily } from './weights';

/** Legacy ids the Hub now redirects to an organisation (the reference lists some under both names). */
export const CANONICAL_MODEL_IDS: Readonly<Record<string, string>> = {
  'bert-base-uncased': 'google-bert/bert-base-uncased',
  'roberta-base': 'FacebookAI/roberta-base',
  'distilbert-base-uncased': 'distilbert/distilbert-base-uncased',
  'distilbert-base-uncased-distilled-squad': 'distilbert/distilbert-base-uncased-distilled-squad',
  gpt2: 'openai-community/gpt2',
  't5-small': 'google-t5/t5-small',
  'albert-base-v2': 'albert/albert-base-v2',
  'xlnet-base-cased': 'xlnet/xlnet-base-cased',
};

export const MODEL_GIT_TAGS: Readonly<Record<string, readonly string[]>> = {
  'google-bert/bert-base-uncased': ['v1.0.0'],
  'openai/whisper-tiny': ['v1.0.0', '1.1.0'],
  'distilbert/distilbert-base-uncased': ['v2.0.0-rc1'],
  'google/flan-t5-small': ['v1.0.0', 'v2.0.0-rc1'],
  'acme-test/tiny-lora': ['v1.0.0', '1.1.0'],
};

/** Gemma cards carry extra_gated_* fields: access is granted on request, automatically. */
export const GATED_MODELS: ReadonlySet<string> = new Set(['google/gemma-3-270m', 'google/gemma-2-2b']);

/** Repositories uploaded before the Hub recorded creation dates all show the migration date. */
const LEGACY_CREATED_AT = '2022-03-02T23:29:04.000Z';
const CREATED_AT: Readonly<Record<string, string>> = {
  'openai/whisper-tiny': '2022-09-26T06:50:30.000Z',
  'google/gemma-2-2b': '2024-07-16T16:26:39.000Z',
  'google/gemma-3-270m': '2025-08-05T16:44:29.000Z',
  'parvk11/audience_classifier_model': '2025-04-25T04:40:12.000Z',
};

const SHARD = /model-(\d+)-of-(\d+)\.safetensors$/;
const lfsBySize = (path: string, size: number): boolean => size > 10 * 1024 && !/(^|\/)(LICENSE|[^/]*\.md)$/.test(path);

function modelFiles(id: string, reference: ReferenceModel, config: Record<string, unknown>, licenseText: string): HubRepoSpec['files'] {
  const family = tensorFamily(String(config.model_type));
  const dtype = dtypeFor(config.torch_dtype);
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  const files = reference.files
    .filter((file) => file.path !== 'README.md' && !file.path.endsWith('.safetensors.index.json'))
    .map((file) => {
      const lfs = isLfsPath(file.path) || lfsBySize(file.path, file.size);
      if (file.path.endsWith('.safetensors')) {
        const shard = safetensorsShard(`${id}/${file.path}`, family, dtype, Number(SHARD.exec(file.path)?.[1] ?? 1) - 1);
        for (const name of shard.tensorNames) weightMap[name] = file.path;
        totalSize += shard.dataSize;
        return { path: file.path, content: shard.bytes, lfs };
      }
      const text = textContent(file.path, { repoId: id, config, licenseText });
      return { path: file.path, content: text ?? binaryPlaceholder(`${id}/${file.path}`), lfs };
    });
  const index = reference.files.find((file) => file.path.endsWith('.safetensors.index.json'));
  if (!index) return files;
  const indexJson = `${JSON.stringify({ metadata: { total_size: totalSize }, weight_map: weightMap }, null, 2)}\n`;
  return [...files, { path: index.path, content: indexJson, lfs: lfsBySize(index.path, index.size) }];
}

function referenceSpec(id: string, reference: ReferenceModel, aliases: readonly string[], licenseText: string): HubRepoSpec {
  const modelType = modelTypeOf(reference.tags);
  const config = transformersConfig(id, aliases[0] ?? id, modelType);
  return {
    id,
    cardYaml: reference.card_yaml,
    readme: reference.readme_text,
    files: modelFiles(id, reference, config, licenseText),
    downloads: reference.downloads,
    likes: reference.likes,
    tags: reference.tags,
    ...(reference.pipeline_tag ? { pipelineTag: reference.pipeline_tag } : {}),
    gated: GATED_MODELS.has(id) ? 'auto' : false,
    createdAt: CREATED_AT[id] ?? LEGACY_CREATED_AT,
    lastModified: reference.last_modified,
    gitTags: MODEL_GIT_TAGS[id] ?? [],
    aliases,
  };
}

/** One spec per distinct model of the reference file; legacy duplicates become aliases of the canonical repo. */
export function referenceModelSpecs(licenseText: string): HubRepoSpec[] {
  const references = referenceModels();
  const byCanonical = new Map<string, { reference: ReferenceModel; aliases: string[] }>();
  for (const [id, reference] of Object.entries(references)) {
    const canonical = CANONICAL_MODEL_IDS[id] ?? id;
    const entry = byCanonical.get(canonical) ?? { reference, aliases: [] };
    if (canonical === id) entry.reference = reference;
    else entry.aliases.push(id);
    byCanonical.set(canonical, entry);
  }
  return [...byCanonical].map(([id, { reference, aliases }]) => referenceSpec(id, reference, aliases, licenseText));
}

const TINY_LORA_CARD = `base_model: google-bert/bert-base-uncased
library_name: peft
license: apache-2.0
datasets:
- rajpurkar/squad
pipeline_tag: text-classification
tags:
- lora
- peft
- text-classification`;

/** A synthetic LoRA adapter: no reference model is an adapter, and lineage needs one. */
export function tinyLoraSpec(): HubRepoSpec {
  const id = 'acme-test/tiny-lora';
  const adapterConfig = {
    base_model_name_or_path: 'google-bert/bert-base-uncased',
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    lora_alpha: 16,
    lora_dropout: 0.1,
    peft_type: 'LORA',
    r: 8,
    revision: null,
    target_modules: ['query', 'value'],
    task_type: 'SEQ_CLS',
  };
  return {
    id,
    cardYaml: TINY_LORA_CARD,
    readme: `\n# tiny-lora\n\nA rank-8 LoRA adapter for [google-bert/bert-base-uncased](https://huggingface.co/google-bert/bert-base-uncased), trained on SQuAD questions as a toy classifier.\nTraining code: https://github.com/huggingface/transformers\n`,
    files: [
      { path: '.gitattributes', content: textContent('.gitattributes', { repoId: id, config: {}, licenseText: '' }) ?? '' },
      { path: 'adapter_config.json', content: `${JSON.stringify(adapterConfig, null, 2)}\n` },
      { path: 'adapter_model.safetensors', content: safetensorsShard(`${id}/adapter_model.safetensors`, 'lora', 'F32').bytes },
    ],
    downloads: stableInt(id, 10, 99),
    likes: 1,
    tags: ['peft', 'safetensors', 'lora', 'text-classification', 'dataset:rajpurkar/squad', 'base_model:google-bert/bert-base-uncased', 'base_model:adapter:google-bert/bert-base-uncased', 'license:apache-2.0', 'region:us'],
    pipelineTag: 'text-classification',
    libraryName: 'peft',
    createdAt: '2025-03-01T12:00:00.000Z',
    lastModified: '2025-03-02T08:30:00.000Z',
    gitTags: MODEL_GIT_TAGS[id] ?? [],
  };
}
