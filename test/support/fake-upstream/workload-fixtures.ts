import { HUB_GITATTRIBUTES } from './hub-file-content';
import type { GithubRepoSpec } from './github-repo';
import type { HubRepoSpec } from './hub-repo';
import { binaryPlaceholder, safetensorsShard, tensorFamily } from './weights';

/**
 * Stand-ins for the sources of the course's reference workload that the reference metadata files do
 * not hold. Their shapes follow the real repositories (card front matter, tags, file layout, config
 * keys); the numbers are plausible, not exact.
 */

const TEMPLATE_CARD = `
# Model Card for Model ID

<!-- Provide a quick summary of what the model is/does. -->

## Model Details

### Model Description

This is the model card of a 🤗 transformers model that has been pushed on the Hub. This model card has been automatically generated.

- **Developed by:** [More Information Needed]
- **Model type:** [More Information Needed]
- **License:** [More Information Needed]

## Uses

[More Information Needed]

## Training Details

[More Information Needed]
`;

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const gitattributes = { path: '.gitattributes', content: HUB_GITATTRIBUTES };
const weights = (id: string, modelType: string, path = 'model.safetensors') => ({ path, content: safetensorsShard(`${id}/${path}`, tensorFamily(modelType), 'F32').bytes });

interface SyntheticModel {
  readonly id: string;
  readonly cardYaml: string;
  readonly readme: string;
  readonly config: Record<string, unknown>;
  readonly tags: readonly string[];
  readonly pipelineTag?: string;
  readonly libraryName?: string;
  readonly downloads: number;
  readonly likes: number;
  readonly created: string;
  readonly modified: string;
  readonly extraFiles?: HubRepoSpec['files'];
  readonly weightsPath?: string | null;
}

function model(spec: SyntheticModel): HubRepoSpec {
  const modelType = String(spec.config.model_type ?? 'bert');
  return {
    id: spec.id,
    cardYaml: spec.cardYaml,
    readme: spec.readme,
    files: [
      gitattributes,
      { path: 'config.json', content: json(spec.config) },
      ...(spec.weightsPath === null ? [] : [weights(spec.id, modelType, spec.weightsPath ?? 'model.safetensors')]),
      ...(spec.extraFiles ?? []),
    ],
    downloads: spec.downloads,
    likes: spec.likes,
    tags: spec.tags,
    ...(spec.pipelineTag === undefined ? {} : { pipelineTag: spec.pipelineTag }),
    ...(spec.libraryName === undefined ? {} : { libraryName: spec.libraryName }),
    createdAt: spec.created,
    lastModified: spec.modified,
    gitTags: [],
  };
}

export function workloadModelSpecs(): HubRepoSpec[] {
  return [
    model({
      id: 'vikhyatk/moondream2',
      cardYaml: 'license: apache-2.0\npipeline_tag: image-text-to-text\nnew_version: moondream/moondream3-preview',
      readme: '\n# moondream2\n\nmoondream2 is a small vision language model designed to run efficiently on edge devices.\n\n## Usage\n\n```python\nfrom transformers import AutoModelForCausalLM\nmodel = AutoModelForCausalLM.from_pretrained("vikhyatk/moondream2", revision="2025-06-21", trust_remote_code=True)\nprint(model.caption(image, length="short")["caption"])\n```\n\n## Benchmarks\n\n| Release | VQAv2 | GQA | TextVQA |\n|---|---|---|---|\n| 2025-06-21 | 79.4 | 64.9 | 73.4 |\n',
      config: { architectures: ['HfMoondream'], auto_map: { AutoConfig: 'hf_moondream.HfConfig', AutoModelForCausalLM: 'hf_moondream.HfMoondream' }, model_type: 'moondream1', torch_dtype: 'bfloat16', transformers_version: '4.44.0' },
      tags: ['transformers', 'safetensors', 'moondream1', 'text-generation', 'image-text-to-text', 'custom_code', 'license:apache-2.0', 'autotrain_compatible', 'region:us'],
      pipelineTag: 'image-text-to-text',
      libraryName: 'transformers',
      downloads: 201_337,
      likes: 1_289,
      created: '2024-03-04T18:03:06.000Z',
      modified: '2025-06-21T19:37:06.000Z',
      extraFiles: [{ path: 'hf_moondream.py', content: 'from transformers import PreTrainedModel\n\nclass HfMoondream(PreTrainedModel):\n    """Moondream wrapper for transformers."""\n' }],
    }),
    model({
      id: 'lerobot/diffusion_pusht',
      cardYaml: 'library_name: lerobot\nlicense: apache-2.0\ndatasets:\n- lerobot/pusht\npipeline_tag: robotics\ntags:\n- diffusion-policy\n- model_hub_mixin\n- pytorch_model_hub_mixin\n- robotics',
      readme: '\n# Model Card for Diffusion Policy / PushT\n\nDiffusion Policy (as per [Diffusion Policy: Visuomotor Policy Learning via Action Diffusion](https://huggingface.co/papers/2303.04137)) trained for the `PushT` environment from [gym-pusht](https://github.com/huggingface/gym-pusht).\n\n## How to Get Started with the Model\n\nSee the [LeRobot library](https://github.com/huggingface/lerobot) (particularly the [evaluation script](https://github.com/huggingface/lerobot/blob/main/lerobot/scripts/eval.py)) for instructions on how to load and evaluate this model.\n\n## Training Details\n\nTrained with [LeRobot@3c0a209](https://github.com/huggingface/lerobot/tree/3c0a209f9fac4d2a57617e686a7f2a2309144ba2).\n\n## Evaluation\n\n| | Ours | Theirs |\n|---|---|---|\n| Average max. overlap ratio | 0.955 | 0.957 |\n| Success rate for 500 episodes (%) | 65.4 | 64.2 |\n',
      config: { type: 'diffusion', n_obs_steps: 2, horizon: 16, n_action_steps: 8, vision_backbone: 'resnet18', crop_shape: [84, 84], down_dims: [512, 1024, 2048], num_inference_steps: 100 },
      tags: ['lerobot', 'safetensors', 'diffusion-policy', 'model_hub_mixin', 'pytorch_model_hub_mixin', 'robotics', 'dataset:lerobot/pusht', 'arxiv:2303.04137', 'license:apache-2.0', 'region:us'],
      pipelineTag: 'robotics',
      libraryName: 'lerobot',
      downloads: 8_710,
      likes: 85,
      created: '2024-03-21T18:04:50.000Z',
      modified: '2024-12-23T13:34:18.000Z',
    }),
    model({
      id: 'microsoft/resnet-50',
      cardYaml: 'license: apache-2.0\ntags:\n- vision\n- image-classification\ndatasets:\n- imagenet-1k',
      readme: '\n# ResNet-50 v1.5\n\nResNet model pre-trained on ImageNet-1k at resolution 224x224. It was introduced in the paper [Deep Residual Learning for Image Recognition](https://arxiv.org/abs/1512.03385) by He et al.\n\n## How to use\n\n```python\nfrom transformers import AutoImageProcessor, ResNetForImageClassification\nprocessor = AutoImageProcessor.from_pretrained("microsoft/resnet-50")\nmodel = ResNetForImageClassification.from_pretrained("microsoft/resnet-50")\n```\n',
      config: { architectures: ['ResNetForImageClassification'], model_type: 'resnet', depths: [3, 4, 6, 3], hidden_sizes: [256, 512, 1024, 2048], embedding_size: 64, num_channels: 3, layer_type: 'bottleneck' },
      tags: ['transformers', 'pytorch', 'tf', 'jax', 'safetensors', 'resnet', 'image-classification', 'vision', 'dataset:imagenet-1k', 'arxiv:1512.03385', 'license:apache-2.0', 'autotrain_compatible', 'endpoints_compatible', 'region:us'],
      pipelineTag: 'image-classification',
      libraryName: 'transformers',
      downloads: 1_843_120,
      likes: 427,
      created: '2022-03-16T15:42:43.000Z',
      modified: '2024-02-13T21:24:05.000Z',
      extraFiles: [{ path: 'preprocessor_config.json', content: json({ crop_pct: 0.875, do_normalize: true, do_resize: true, image_mean: [0.485, 0.456, 0.406], image_std: [0.229, 0.224, 0.225], size: 224 }) }],
    }),
    model({
      id: 'crangana/trained-gender',
      cardYaml: 'library_name: transformers\ntags: []',
      readme: TEMPLATE_CARD,
      config: { _name_or_path: 'google/vit-base-patch16-224-in21k', architectures: ['ViTForImageClassification'], model_type: 'vit', id2label: { 0: 'female', 1: 'male' }, label2id: { female: 0, male: 1 }, image_size: 224, patch_size: 16 },
      tags: ['transformers', 'safetensors', 'vit', 'image-classification', 'arxiv:1910.09700', 'autotrain_compatible', 'endpoints_compatible', 'region:us'],
      pipelineTag: 'image-classification',
      libraryName: 'transformers',
      downloads: 312,
      likes: 0,
      created: '2025-05-02T09:12:33.000Z',
      modified: '2025-05-02T09:14:01.000Z',
    }),
    model({
      id: 'onnx-community/trained-gender-ONNX',
      cardYaml: 'library_name: transformers.js\nbase_model: crangana/trained-gender',
      readme: '\nhttps://huggingface.co/crangana/trained-gender with ONNX weights to be compatible with Transformers.js.\n\n## Usage (Transformers.js)\n\n```js\nimport { pipeline } from \'@huggingface/transformers\';\nconst classifier = await pipeline(\'image-classification\', \'onnx-community/trained-gender-ONNX\');\n```\n',
      config: { _name_or_path: 'crangana/trained-gender', architectures: ['ViTForImageClassification'], model_type: 'vit', id2label: { 0: 'female', 1: 'male' }, label2id: { female: 0, male: 1 } },
      tags: ['transformers.js', 'onnx', 'vit', 'image-classification', 'base_model:crangana/trained-gender', 'base_model:quantized:crangana/trained-gender', 'region:us'],
      pipelineTag: 'image-classification',
      libraryName: 'transformers.js',
      downloads: 1_204,
      likes: 2,
      created: '2025-05-03T11:40:12.000Z',
      modified: '2025-05-03T11:41:55.000Z',
      weightsPath: null,
      extraFiles: [
        { path: 'onnx/model.onnx', content: binaryPlaceholder('onnx-community/trained-gender-ONNX/onnx/model.onnx') },
        { path: 'onnx/model_quantized.onnx', content: binaryPlaceholder('onnx-community/trained-gender-ONNX/onnx/model_quantized.onnx') },
        { path: 'preprocessor_config.json', content: json({ do_normalize: true, do_resize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], size: { height: 224, width: 224 } }) },
      ],
    }),
  ];
}

export function workloadDatasetSpecs(): HubRepoSpec[] {
  return [{
    id: 'lerobot/pusht',
    cardYaml: 'license: mit\ntask_categories:\n- robotics\ntags:\n- LeRobot\nconfigs:\n- config_name: default\n  data_files: data/*/*.parquet',
    readme: '\nThis dataset was created using [LeRobot](https://github.com/huggingface/lerobot).\n\n## Dataset Description\n\n- **Homepage:** https://diffusion-policy.cs.columbia.edu/\n- **Paper:** https://huggingface.co/papers/2303.04137v5\n- **License:** mit\n',
    files: [
      gitattributes,
      { path: 'meta/info.json', content: json({ codebase_version: 'v2.0', robot_type: 'unknown', total_episodes: 206, total_frames: 25650, fps: 10 }) },
      { path: 'data/chunk-000/episode_000000.parquet', content: binaryPlaceholder('lerobot/pusht/data/chunk-000/episode_000000.parquet') },
      { path: 'videos/chunk-000/observation.image/episode_000000.mp4', content: binaryPlaceholder('lerobot/pusht/videos/chunk-000/observation.image/episode_000000.mp4') },
    ],
    downloads: 12_480,
    likes: 21,
    tags: ['task_categories:robotics', 'license:mit', 'size_categories:10K<n<100K', 'format:parquet', 'modality:tabular', 'modality:video', 'library:datasets', 'library:mlcroissant', 'arxiv:2303.04137', 'region:us', 'LeRobot'],
    createdAt: '2024-03-21T17:31:35.000Z',
    lastModified: '2024-11-19T16:34:09.000Z',
    gitTags: ['v2.0'],
    description: 'PushT: a 2D pushing task, from the Diffusion Policy paper.',
  }];
}

interface SyntheticGithub {
  readonly fullName: string;
  readonly description: string;
  readonly licenseSpdx: string | null;
  readonly licenseText?: string;
  readonly stars: number;
  readonly created: string;
  readonly pushed: string;
  readonly contributors: Readonly<Record<string, number>>;
  readonly files: Readonly<Record<string, number>>;
  readonly texts?: Readonly<Record<string, string>>;
  readonly pullRequests?: number;
  readonly language?: string;
  readonly topics?: readonly string[];
}

const MIT = (holder: string, year: string): string =>
  `MIT License\n\nCopyright (c) ${year} ${holder}\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the "Software"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software.\n`;

function github(repo: SyntheticGithub, apacheText: string): GithubRepoSpec {
  const name = repo.fullName.split('/')[1] ?? repo.fullName;
  const licenseText = repo.licenseText ?? (repo.licenseSpdx === 'Apache-2.0' ? apacheText : undefined);
  const blobs = { 'README.md': 1200, ...(licenseText === undefined ? {} : { LICENSE: licenseText.length }), ...repo.files };
  const directories = new Set<string>();
  for (const path of Object.keys(blobs)) {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) directories.add(parts.slice(0, depth).join('/'));
  }
  return {
    fullName: repo.fullName,
    description: repo.description,
    homepage: null,
    defaultBranch: 'main',
    topics: repo.topics ?? [],
    language: repo.language ?? 'Python',
    archived: false,
    fork: false,
    createdAt: repo.created,
    updatedAt: repo.pushed,
    pushedAt: repo.pushed,
    stars: repo.stars,
    forks: Math.round(repo.stars / 6),
    openIssues: Math.round(repo.stars / 150),
    subscribers: Math.max(1, Math.round(repo.stars / 70)),
    licenseSpdx: repo.licenseSpdx,
    texts: { 'README.md': `# ${name}\n\n${repo.description}\n`, ...(licenseText === undefined ? {} : { LICENSE: licenseText }), ...repo.texts },
    files: [
      ...Object.entries(blobs).map(([path, size]) => ({ path, type: 'blob' as const, size })),
      ...[...directories].map((path) => ({ path, type: 'tree' as const, size: null })),
    ],
    contributors: repo.contributors,
    pullRequests: repo.pullRequests ?? 0,
    reviewed: true,
    gitTags: [],
    movedFrom: [],
  };
}

export function workloadGithubSpecs(apacheText: string): GithubRepoSpec[] {
  return [
    github({
      fullName: 'zalandoresearch/fashion-mnist', description: 'A MNIST-like fashion product database. Benchmark', licenseSpdx: 'MIT', licenseText: MIT('Zalando SE', '2017'),
      stars: 12_100, created: '2017-08-25T12:05:44Z', pushed: '2024-06-13T11:37:02Z', contributors: { hanxiao: 120, kashif: 12, rasbt: 3 },
      files: { 'data/fashion/train-images-idx3-ubyte.gz': 2048, 'data/fashion/train-labels-idx1-ubyte.gz': 1024, 'data/fashion/t10k-images-idx3-ubyte.gz': 2048, 'data/fashion/t10k-labels-idx1-ubyte.gz': 1024, 'utils/mnist_reader.py': 900, 'benchmark/runner.py': 1500, 'requirements.txt': 60 },
      topics: ['mnist', 'dataset', 'benchmark', 'fashion'],
    }, apacheText),
    github({
      fullName: 'Parth1811/ptm-recommendation-with-transformers', description: 'Pre-trained model recommendation with transformers', licenseSpdx: null,
      stars: 3, created: '2024-09-10T14:22:05Z', pushed: '2025-04-28T19:03:44Z', contributors: { Parth1811: 42 },
      files: { 'main.py': 2400, 'requirements.txt': 120, 'ptm_recommender/__init__.py': 40, 'ptm_recommender/model.py': 1800, 'ptm_recommender/train.py': 2100 },
    }, apacheText),
    github({
      fullName: 'huggingface/lerobot', description: '🤗 LeRobot: Making AI for Robotics more accessible with end-to-end learning', licenseSpdx: 'Apache-2.0',
      stars: 17_800, created: '2024-01-26T16:15:30Z', pushed: '2025-10-09T17:42:03Z', contributors: { Cadene: 250, aliberts: 180, 'alexander-soare': 90, 'imstevenpmwork': 60 },
      files: { 'pyproject.toml': 3200, 'src/lerobot/__init__.py': 400, 'src/lerobot/policies/diffusion/modeling_diffusion.py': 2048, 'src/lerobot/scripts/train.py': 2048, 'src/lerobot/scripts/eval.py': 2048, 'tests/test_policies.py': 1600 },
      pullRequests: 12, topics: ['robotics', 'pytorch', 'transformers'],
    }, apacheText),
    github({
      fullName: 'huggingface/transformers-research-projects', description: 'Research projects built on top of 🤗 Transformers', licenseSpdx: 'Apache-2.0',
      stars: 420, created: '2025-01-22T10:02:11Z', pushed: '2025-06-30T08:15:40Z', contributors: { ArthurZucker: 20, Rocketknight1: 12, sgugger: 8 },
      files: {
        'distillation/README.md': 1800, 'distillation/train.py': 2048, 'distillation/distiller.py': 2048, 'distillation/requirements.txt': 90, 'distillation/training_configs/distilbert-base-uncased.json': 400,
        'bertology/run_bertology.py': 2048, 'bertology/requirements.txt': 40, 'pplm/run_pplm.py': 2048,
      },
      texts: { 'distillation/README.md': '# Distil*\n\nThis folder contains the original code used to train Distil* (DistilBERT, DistilRoBERTa, DistilGPT2).\n' },
    }, apacheText),
  ];
}
