import { expect } from 'chai';
import type { ChangeSpec } from '../support/fake-upstream/github-history';
import { HUB_GITATTRIBUTES } from '../support/fake-upstream/hub-file-content';
import type { HubRepoSpec } from '../support/fake-upstream/hub-repo';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { safetensorsShard } from '../support/fake-upstream/weights';
import { addUser, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { zipBuffer } from '../support/hf-packages';

interface Explained {
  rating: Record<string, unknown> & { net_score: number };
  explanation: Record<string, { value: unknown; applicable: boolean; explanation: string[]; unavailable?: string; inputs: Record<string, unknown> }>;
  problems: string[];
}

const DATASET = 'acme-labs/clean-reviews';
/** Each model links its own dataset and repository, so no test reads another's cached metadata. */
const MODELS = ['acme-labs/documented-classifier', 'acme-labs/documented-classifier-v2', 'acme-labs/documented-classifier-v3'];
const datasetOf = (model: string): string => `${DATASET}${model.slice(model.lastIndexOf('-classifier') + '-classifier'.length)}`;
const codeOf = (model: string): string => model;

const DATASET_CARD = `license: cc-by-4.0
pretty_name: Clean Reviews
task_categories:
- text-classification
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*
  - split: test
    path: data/test-*`;

const DATASET_README = `
# Dataset Card for Clean Reviews

## Dataset Summary

Clean Reviews holds 120,000 English product reviews with a binary sentiment label. Reviews were collected from
public product pages between 2019 and 2023, de-duplicated, stripped of personal information and balanced between
positive and negative labels. It is meant for training and evaluating sentiment classifiers.

## Dataset Structure

### Data Fields

- \`text\`: the review, a \`string\`.
- \`label\`: \`0\` (negative) or \`1\` (positive).

### Data Splits

| split | examples |
|-------|---------:|
| train | 100000 |
| test  |  20000 |

## Dataset Creation

Reviews with fewer than five words were dropped; near-duplicates were removed with MinHash at a Jaccard threshold
of 0.9. Two annotators checked a random sample of 2,000 labels and agreed on 97.5% of them.

## Licensing Information

Released under CC BY 4.0. Cite the card when you use the data.

## Limitations

Reviews over-represent electronics and books; sarcasm is labelled by its literal sentiment. Reviews written before
2019 are absent, so vocabulary for newer products is thin; evaluate on your own domain before relying on a model
trained here.
`;

const modelCard = (id: string): string => `license: apache-2.0
datasets:
- ${datasetOf(id)}
pipeline_tag: text-classification
library_name: transformers
model-index:
- name: ${id.split('/')[1]}
  results:
  - task:
      type: text-classification
    dataset:
      name: Clean Reviews
      type: ${datasetOf(id)}
      split: test
    metrics:
    - type: accuracy
      value: 0.934`;

const modelReadme = (id: string): string => `
# ${id.split('/')[1]}

A DistilBERT-sized sentiment classifier fine-tuned on [Clean Reviews](https://huggingface.co/datasets/${datasetOf(id)}). The
training and evaluation code is at https://github.com/${codeOf(id)}; every change to it is reviewed.

## Model description

Six transformer layers, hidden size 768, a linear head over the [CLS] token. It labels a review as positive or
negative and reports a calibrated probability for each label. It was trained for three epochs with AdamW at a
learning rate of 3e-5, batch size 32, warm-up over the first 10% of steps, on one A100 for 41 minutes.

## How to use

\`\`\`python
from transformers import pipeline

classifier = pipeline("text-classification", model="${id}")
print(classifier("The battery lasts all day and the screen is sharp."))
\`\`\`

Install the dependencies with \`pip install transformers torch\`.

## Evaluation results

| split | accuracy | F1 |
|-------|---------:|---:|
| test  | 0.934 | 0.932 |

On the SST-2 validation set it reaches 0.901 accuracy without further training.

## Training data

See the [dataset card](https://huggingface.co/datasets/${datasetOf(id)}) for how the reviews were collected and cleaned.

## Limitations and bias

Trained on product reviews only; expect lower accuracy on other domains, on sarcasm and on non-English text.
See the [documentation](https://huggingface.co/docs/transformers) and the [paper](https://arxiv.org/abs/1910.01108).
`;

function modelSpec(id: string): HubRepoSpec {
  const config = { architectures: ['DistilBertForSequenceClassification'], model_type: 'distilbert', dim: 768, n_layers: 6, id2label: { 0: 'NEGATIVE', 1: 'POSITIVE' } };
  return {
    id,
    cardYaml: modelCard(id),
    readme: modelReadme(id),
    files: [
      { path: '.gitattributes', content: HUB_GITATTRIBUTES },
      { path: 'config.json', content: `${JSON.stringify(config, null, 2)}\n` },
      { path: 'tokenizer.json', content: '{"version": "1.0", "model": {"type": "WordPiece", "vocab": {"[PAD]": 0}}}\n' },
      { path: 'model.safetensors', content: safetensorsShard(`${id}/model.safetensors`, 'bert', 'F32').bytes },
    ],
    downloads: 250_000,
    likes: 310,
    tags: ['transformers', 'safetensors', 'distilbert', 'text-classification', `dataset:${datasetOf(id)}`, 'license:apache-2.0'],
    pipelineTag: 'text-classification',
    libraryName: 'transformers',
  };
}

/** Nine reviewed pull requests and one small direct push: 0.952 of the code lines were reviewed. */
const REVIEWED: readonly ChangeSpec[] = [
  ...Array.from({ length: 9 }, (_, i): ChangeSpec => ({ kind: 'pull', author: i % 2 === 0 ? 'alice' : 'bob', reviewers: [i % 2 === 0 ? 'bob' : 'alice'], merge: i % 3 === 0 ? 'merge' : 'squash', files: [{ path: `src/module_${i}.py`, additions: 100 }] })),
  { kind: 'direct', author: 'alice', files: [{ path: 'README.md', additions: 45 }] },
];

describe('API: evidence that is complete and honest', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;

  const register = async (id: string) => {
    const response = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model', { json: { url: `https://huggingface.co/${id}` } });
    expect(response.status, response.raw.toString()).to.equal(201);
    return response.body.metadata.id;
  };
  const explain = async (id: string) => (await registry.request<Explained>('GET', `/artifact/model/${id}/rate/explain`)).body;

  before(async () => {
    fake = await startFakeUpstream();
    const template = fake.fixtures.githubRepos.get('openai/whisper');
    if (!template) throw new Error('the whisper fixture is missing');
    for (const id of MODELS) {
      fake.addGithubRepo({ ...template.spec, fullName: codeOf(id), changes: REVIEWED, gitTags: [], movedFrom: [], pushedAt: '2025-11-20T10:00:00Z' });
      fake.addDataset({ id: datasetOf(id), cardYaml: DATASET_CARD, readme: DATASET_README, files: [{ path: 'data/train-00000-of-00001.parquet', content: 'parquet' }], downloads: 150_000, likes: 120 });
      fake.addModel(modelSpec(id));
    }
    // The default bar (0.5), as a deployment has it.
    registry = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_UPSTREAM_TIMEOUT_MS: '2000' } });
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });
  afterEach(() => fake.reset());

  it('when a well-documented model names a documented dataset and links reviewed code, then it meets the bar with the dataset card read at its pinned revision', async () => {
    const id = await register(MODELS[0] ?? '');

    const { explanation, rating } = await explain(id);
    const pinned = fake.fixtures.datasets.get(DATASET)?.sha ?? 'missing';
    expect(fake.requests.map((request) => request.path)).to.include(`/hf/datasets/${DATASET}/resolve/${pinned}/README.md`);
    expect(explanation.dataset_quality).to.deep.include({ value: 1, applicable: true });
    expect(explanation.dataset_quality?.explanation[1]).to.match(/^acme-labs\/clean-reviews: card of \d+ words \(from the Hub\), license declared, splits documented/);
    expect(rating.reviewedness).to.equal(0.952);
    expect(rating.net_score).to.be.above(0.8);
  });

  it('when the Hub\'s dataset API and GitHub are down, then the model still registers, the metrics that needed them have no value and say why, and an admin refresh fills them in', async () => {
    fake.inject({ match: /^\/hf\/api\/datasets\//, fault: { status: 503 } });
    fake.inject({ match: /^\/github\/repos\/acme-labs\//, fault: { status: 503 } });
    const id = await register(MODELS[1] ?? '');

    const before = await explain(id);
    for (const metric of ['dataset_quality', 'reviewedness', 'bus_factor', 'code_quality']) {
      expect(before.explanation[metric], metric).to.deep.include({ value: -1, applicable: false });
      expect(before.explanation[metric]?.unavailable, metric).to.match(/503|failed/);
    }
    expect(before.problems).to.have.length(2);
    expect(before.explanation.net_score?.explanation[1]).to.contain('left out with no value (-1): bus_factor (evidence not collected)');

    fake.reset();
    const reader = await addUser(registry, 'evidence-reader', 'reader-password', ['search']);
    expect((await registry.request('POST', `/artifact/model/${id}/rate/refresh`, { token: reader })).status).to.equal(401);
    const refreshed = await registry.request<Explained>('POST', `/artifact/model/${id}/rate/refresh`);
    expect(refreshed.status, refreshed.raw.toString()).to.equal(200);
    expect(refreshed.body.problems).to.deep.equal([]);
    expect(refreshed.body.explanation.dataset_quality).to.deep.include({ value: 1, applicable: true });
    expect(refreshed.body.rating.reviewedness).to.equal(0.952);
    expect((await explain(id)).rating).to.deep.equal(refreshed.body.rating);
    const audit = await registry.request<{ action: string }[]>('GET', `/artifact/model/${id}/audit`);
    expect(audit.body.map((entry) => entry.action)).to.include('UPDATE');
  });

  it('when GitHub is rate-limited at registration, then reviewedness is not scored 0 and the gate does not judge it', async () => {
    fake.inject({ match: /^\/github\//, fault: { status: 403, retryAfterSeconds: 3600 } });
    const id = await register(MODELS[2] ?? '');

    const { rating, explanation } = await explain(id);
    expect(rating.reviewedness).to.equal(-1);
    expect(explanation.reviewedness?.unavailable).to.contain('rate limit');
  });

  it('when a model fails the bar while a source is down, then the 424 names the failing metrics and, apart, those not judged for lack of evidence', async () => {
    fake.addModel({ id: 'acme-labs/template-card', cardYaml: `datasets:\n- ${DATASET}-template`, readme: '\n# Model Card for Model ID\n\n<!-- Provide a quick summary. -->\n\n## Model Details\n\n[More Information Needed]\n', files: [{ path: 'model.safetensors', content: 'weights' }] });
    fake.inject({ match: /^\/hf\/api\/datasets\//, fault: { status: 503 } });

    const response = await registry.request<{ code: string; message: string; details: { failing: { metric: string }[]; unavailable: { metric: string; reason: string }[] } }>(
      'POST', '/artifact/model', { json: { url: 'https://huggingface.co/acme-labs/template-card' } },
    );

    expect(response.status).to.equal(424);
    expect(response.body.details.failing.map((failure) => failure.metric)).to.include('license').and.not.include('dataset_quality');
    expect(response.body.details.unavailable.map((item) => item.metric)).to.deep.equal(['dataset_quality']);
    expect(response.body.message).to.match(/; not judged for lack of evidence: dataset_quality$/);
  });

  it('when a refresh is asked of an unknown model, then 404', async () => {
    expect((await registry.request('POST', '/artifact/model/01J0000000000000000000000X/rate/refresh')).status).to.equal(404);
  });

  it('when a model names a dataset hosted on GitHub, then the repository\'s README is read as its card', async () => {
    const template = fake.fixtures.githubRepos.get('openai/whisper');
    if (!template) throw new Error('the whisper fixture is missing');
    fake.addGithubRepo({ ...template.spec, fullName: 'acme-labs/review-corpus', texts: { ...template.spec.texts, 'README.md': DATASET_README }, licenseSpdx: 'MIT', gitTags: [], movedFrom: [] });
    const model = await zipBuffer([{ path: 'README.md', content: '---\nlicense: mit\ndatasets:\n- https://github.com/acme-labs/review-corpus\n---\n# github-data model\n' }, { path: 'model.safetensors', content: 'weights' }]);
    const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=github-data-model', { body: model, contentType: 'application/zip' });

    const { explanation } = await explain(created.body.metadata.id);
    expect(explanation.dataset_quality?.explanation[1]).to.match(/^https:\/\/github\.com\/acme-labs\/review-corpus: card of \d+ words \(from GitHub\), license declared, splits documented, 0 downloads/);
  });

  it('when a model names a dataset this registry holds, then that dataset\'s stored card is read, with no outbound request', async () => {
    const dataset = await zipBuffer([{ path: 'README.md', content: `---\n${DATASET_CARD}\n---\n${DATASET_README}` }, { path: 'data/train.csv', content: 'text,label\nok,1\n' }]);
    expect((await registry.request('POST', '/artifact/dataset?name=in-house-reviews', { body: dataset, contentType: 'application/zip' })).status).to.equal(201);
    const model = await zipBuffer([{ path: 'README.md', content: '---\nlicense: mit\ndatasets:\n- in-house-reviews\n---\n# in-house model\n' }, { path: 'model.safetensors', content: 'weights' }]);
    const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=in-house-model', { body: model, contentType: 'application/zip' });

    const { explanation } = await explain(created.body.metadata.id);
    expect(explanation.dataset_quality?.explanation[1]).to.match(/^in-house-reviews: card of \d+ words \(from this registry\), license declared, splits documented, 0 downloads/);
    expect(fake.requests).to.have.length(0);
  });
});
