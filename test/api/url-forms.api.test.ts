import { expect } from 'chai';
import { KAGGLE_CREDENTIALS, startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { countArtifacts, listBlobs } from '../support/registry-probes';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Artifact {
  metadata: { name: string; id: string; type: string };
  data: { url: string; download_url: string };
}
interface ErrorBody {
  code: string;
  message: string;
  details?: { id?: string; threshold?: number; failing?: { metric: string; value: number }[] };
}
interface Details {
  mirrored: boolean;
  reference?: { page: string; reason: string };
  origin?: { hub: string; repo: string; revision: string; commit?: string; path?: string };
  package?: { files: { path: string }[] };
  trust?: { meets_bar: boolean; threshold: number; failing: { metric: string; value: number }[]; skipped: string[] };
}

/** The course's reference workload: every URL form people register, with the name each must get. */
const WORKLOAD: readonly { type: string; url: string; name: string; as?: string }[] = [
  { type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased', name: 'bert-base-uncased' },
  { type: 'model', url: 'https://huggingface.co/parvk11/audience_classifier_model', name: 'audience_classifier_model' },
  { type: 'model', url: 'https://huggingface.co/distilbert-base-uncased-distilled-squad', name: 'distilbert-base-uncased-distilled-squad' },
  { type: 'model', url: 'https://huggingface.co/vikhyatk/moondream2', name: 'moondream2' },
  { type: 'model', url: 'https://huggingface.co/lerobot/diffusion_pusht', name: 'diffusion_pusht' },
  { type: 'model', url: 'https://huggingface.co/microsoft/resnet-50', name: 'resnet-50' },
  { type: 'model', url: 'https://huggingface.co/crangana/trained-gender', name: 'trained-gender' },
  { type: 'model', url: 'https://huggingface.co/onnx-community/trained-gender-ONNX', name: 'trained-gender-ONNX' },
  { type: 'dataset', url: 'https://huggingface.co/datasets/bookcorpus/bookcorpus', name: 'bookcorpus' },
  { type: 'dataset', url: 'https://huggingface.co/datasets/rajpurkar/squad', name: 'squad' },
  { type: 'dataset', url: 'https://huggingface.co/datasets/lerobot/pusht', name: 'pusht' },
  { type: 'dataset', url: 'https://github.com/zalandoresearch/fashion-mnist', name: 'fashion-mnist' },
  { type: 'dataset', url: 'https://www.kaggle.com/datasets/hliang001/flickr2k', name: 'flickr2k' },
  { type: 'code', url: 'https://github.com/google-research/bert', name: 'google-research-bert', as: 'google-research-bert' },
  { type: 'code', url: 'https://github.com/Parth1811/ptm-recommendation-with-transformers.git', name: 'ptm-recommendation-with-transformers' },
  { type: 'code', url: 'https://github.com/huggingface/lerobot/tree/main', name: 'lerobot' },
  { type: 'code', url: 'https://github.com/huggingface/transformers-research-projects/tree/main/distillation', name: 'distillation' },
];

describe('API: the URL forms people register, registration vs vetting', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;
  const ids = new Map<string, string>();

  before(async () => {
    fake = await startFakeUpstream();
    registry = await startTestRegistry({ storage: 'local', env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, KAGGLE_API_URL: fake.kaggleUrl } });
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });

  const register = (type: string, json: Record<string, unknown>, on: TestRegistry = registry) => on.request<Artifact & ErrorBody>('POST', `/artifact/${type}`, { json });
  const details = async (type: string, id: string, on: TestRegistry = registry) => (await on.request<Details>('GET', `/artifacts/${type}/${id}/details`)).body;
  /** A download answer as sent: redirects are not followed, so nothing leaves loopback. */
  const downloadOf = async (on: TestRegistry, type: string, id: string): Promise<Response> =>
    fetch(`${on.url}/artifacts/${type}/${id}/download`, { headers: { 'X-Authorization': await on.token() }, redirect: 'manual' });

  for (const form of WORKLOAD) {
    it(`when ${form.url} is registered as a ${form.type}${form.as === undefined ? '' : ` named ${form.as}`}, then 201 under the name ${form.name}`, async () => {
      const response = await register(form.type, { url: form.url, ...(form.as === undefined ? {} : { name: form.as }) });
      expect(response.status, response.raw.toString()).to.equal(201);
      expect(response.body.metadata).to.include({ name: form.name, type: form.type });
      expect(response.body.data.url).to.equal(form.url);
      ids.set(form.url, response.body.metadata.id);
    });
  }

  it('when a GitHub directory at a ref is registered, then only that directory is stored, pinned to the commit the ref resolves to', async () => {
    const id = ids.get('https://github.com/huggingface/transformers-research-projects/tree/main/distillation') ?? '';
    const body = await details('code', id);
    const head = fake.fixtures.githubRepos.get('huggingface/transformers-research-projects')?.commits[0]?.sha;
    expect(body.origin).to.deep.include({ hub: 'github', revision: 'main', path: 'distillation', commit: head });
    expect(body.package?.files.map((file) => file.path).sort()).to.deep.equal(['README.md', 'distiller.py', 'requirements.txt', 'train.py', 'training_configs/distilbert-base-uncased.json']);
    expect(fake.requests.some((request) => request.path.includes(`/zipball/${head}`))).to.equal(true);
  });

  it('when a GitHub repository is registered as a dataset, then its files are the dataset', async () => {
    const body = await details('dataset', ids.get('https://github.com/zalandoresearch/fashion-mnist') ?? '');
    expect(body.mirrored).to.equal(true);
    expect(body.package?.files.map((file) => file.path)).to.include('data/fashion/train-images-idx3-ubyte.gz');
  });

  it('when a Kaggle dataset is registered without credentials, then it is an external reference: no request to Kaggle, marked not mirrored, and its download redirects to the source page', async () => {
    const body = await details('dataset', ids.get('https://www.kaggle.com/datasets/hliang001/flickr2k') ?? '');
    expect(body.mirrored).to.equal(false);
    expect(body.package).to.equal(undefined);
    expect(body.reference?.page).to.equal('https://www.kaggle.com/datasets/hliang001/flickr2k');
    expect(body.reference?.reason).to.contain('KAGGLE_USERNAME');
    expect(fake.requests.filter((request) => request.path.startsWith('/kaggle'))).to.deep.equal([]);
    const download = await downloadOf(registry, 'dataset', ids.get('https://www.kaggle.com/datasets/hliang001/flickr2k') ?? '');
    expect(download.status).to.equal(302);
    expect(download.headers.get('location')).to.equal('https://www.kaggle.com/datasets/hliang001/flickr2k');
  });

  it('when a template-card model is registered, then it is stored and flagged: details name each failing metric and its value', async () => {
    const body = await details('model', ids.get('https://huggingface.co/parvk11/audience_classifier_model') ?? '');
    expect(body.trust?.meets_bar).to.equal(false);
    expect(body.trust?.threshold).to.equal(0.5);
    expect(body.trust?.failing.length).to.be.greaterThan(0);
    for (const failure of body.trust?.failing ?? []) expect(failure.value).to.be.below(0.5);
    const below = await registry.request<{ id: string; trust?: string }[]>('POST', '/artifacts?include=trust', { json: [{ name: '*', types: ['model'], trust: 'below' }] });
    expect(below.body.map((item) => item.id)).to.include(ids.get('https://huggingface.co/parvk11/audience_classifier_model'));
    expect(below.body.every((item) => item.trust === 'below')).to.equal(true);
    const meets = await registry.request<{ id: string }[]>('POST', '/artifacts', { json: [{ name: '*', trust: 'meets' }] });
    expect(meets.body.map((item) => item.id)).not.to.include(ids.get('https://huggingface.co/parvk11/audience_classifier_model'));
    const unrated = await registry.request<{ id: string; type: string }[]>('POST', '/artifacts', { json: [{ name: '*', trust: 'unrated' }] });
    expect(unrated.body.map((item) => item.type)).not.to.include('model');
    expect(unrated.body.length).to.equal(WORKLOAD.filter((form) => form.type !== 'model').length);
  });

  it('when the contract\'s enumeration is asked without include=trust, then its items stay bare metadata', async () => {
    const plain = await registry.request<Record<string, unknown>[]>('POST', '/artifacts', { json: [{ name: '*' }] });
    expect(plain.body.every((item) => Object.keys(item).sort().join() === 'id,name,type')).to.equal(true);
  });

  it('when a template-card model is vetted through /artifact/ingest, then 424 names each failing metric and its value, and nothing is stored', async () => {
    const fresh = await startTestRegistry({ storage: 'local', env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl } });
    try {
      const blobs = await listBlobs(fresh.dataDir);
      const response = await fresh.request<ErrorBody>('POST', '/artifact/ingest', { json: { url: 'https://huggingface.co/parvk11/audience_classifier_model' } });
      expect(response.status, response.raw.toString()).to.equal(424);
      expect(response.body.code).to.equal('RATING.BELOW_THRESHOLD');
      const failing = response.body.details?.failing ?? [];
      expect(failing.length).to.be.greaterThan(0);
      for (const { metric, value } of failing) {
        expect(value).to.be.below(0.5);
        expect(response.body.message).to.contain(`${metric} ${value}`);
      }
      expect(await countArtifacts(fresh)).to.equal(0);
      expect(await listBlobs(fresh.dataDir)).to.deep.equal(blobs);
    } finally {
      await fresh.close();
    }
  });

  it('when a model meeting the bar is vetted, then the answer is the same 201 as registration, under the name sent', async () => {
    const lenient = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_INGEST_MIN_SCORE: '0' } });
    try {
      const response = await lenient.request<Artifact>('POST', '/artifact/ingest', { json: { url: 'https://huggingface.co/microsoft/resnet-50', name: 'vetted-resnet' } });
      expect(response.status, response.raw.toString()).to.equal(201);
      expect(response.body.metadata).to.include({ name: 'vetted-resnet', type: 'model' });
      expect((await details('model', response.body.metadata.id, lenient)).trust?.meets_bar).to.equal(true);
      const notAModel = await lenient.request<ErrorBody>('POST', '/artifact/ingest', { json: { url: 'https://github.com/google-research/bert' } });
      expect(notAModel.status).to.equal(400);
      expect(notAModel.body.code).to.equal('SOURCE.UNSUPPORTED');
    } finally {
      await lenient.close();
    }
  });

  it('when TMR_REGISTRATION_GATE=enforce, then plain registration of a public model below the bar is refused like ingest, while datasets still register', async () => {
    const strict = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_REGISTRATION_GATE: 'enforce' } });
    try {
      const refused = await register('model', { url: 'https://huggingface.co/parvk11/audience_classifier_model' }, strict);
      expect(refused.status).to.equal(424);
      expect(refused.body.code).to.equal('RATING.BELOW_THRESHOLD');
      expect(await countArtifacts(strict)).to.equal(0);
      expect((await register('dataset', { url: 'https://huggingface.co/datasets/rajpurkar/squad' }, strict)).status).to.equal(201);
    } finally {
      await strict.close();
    }
  });

  it('when a source is registered a second time (any spelling, any name), then 409 carries the existing id and nothing is fetched; PUT re-ingests it', async () => {
    const id = ids.get('https://github.com/Parth1811/ptm-recommendation-with-transformers.git') ?? '';
    fake.reset();
    const again = await register('code', { url: 'https://github.com/parth1811/ptm-recommendation-with-transformers/', name: 'another-name' });
    expect(again.status).to.equal(409);
    expect(again.body.code).to.equal('ARTIFACT.CONFLICT');
    expect(again.body.details?.id).to.equal(id);
    expect(fake.requests).to.deep.equal([]);
    const asDataset = await register('dataset', { url: 'https://github.com/Parth1811/ptm-recommendation-with-transformers' });
    expect(asDataset.status, 'the same repository as another type is another source').to.equal(201);
    const put = await registry.request('PUT', `/artifacts/code/${id}`, {
      json: { metadata: { id, name: 'ptm-recommendation-with-transformers', type: 'code' }, data: { url: 'https://github.com/Parth1811/ptm-recommendation-with-transformers.git' } },
    });
    expect(put.status).to.equal(200);
  });

  it('when the name sent is not a valid name, then 400 before any outbound request', async () => {
    fake.reset();
    for (const name of ['*', '', 'tab\tname']) {
      const response = await register('code', { url: 'https://github.com/openai/whisper', name });
      expect(response.status, JSON.stringify(name)).to.equal(400);
    }
    expect(fake.requests).to.deep.equal([]);
  });

  it('when a hostile Kaggle or GitHub tree URL is registered, then 400 SOURCE.UNSUPPORTED and no request leaves', async () => {
    fake.reset();
    for (const [type, url] of [
      ['dataset', 'https://www.kaggle.com.evil.com/datasets/hliang001/flickr2k'],
      ['dataset', 'http://www.kaggle.com/datasets/hliang001/flickr2k'],
      ['dataset', 'https://www.kaggle.com/datasets/hliang001/flickr2k/../../api'],
      ['model', 'https://www.kaggle.com/datasets/hliang001/flickr2k'],
      ['code', 'https://github.com/huggingface/lerobot/tree/main/%2e%2e/x'],
      ['code', 'https://github.com/huggingface/lerobot/blob/main/README.md'],
      ['dataset', `${fake.kaggleUrl}/datasets/view/hliang001/flickr2k`],
    ] as const) {
      const response = await register(type, { url });
      expect(response.status, url).to.equal(400);
      expect(response.body.code, url).to.equal('SOURCE.UNSUPPORTED');
    }
    expect(fake.requests).to.deep.equal([]);
  });

  it('when Kaggle credentials are set, then the dataset is mirrored through Kaggle\'s API with basic authentication and downloads from the registry', async () => {
    const withKaggle = await startTestRegistry({
      env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, KAGGLE_API_URL: fake.kaggleUrl, KAGGLE_USERNAME: KAGGLE_CREDENTIALS.username, KAGGLE_KEY: KAGGLE_CREDENTIALS.key },
    });
    try {
      fake.reset();
      const response = await register('dataset', { url: 'https://www.kaggle.com/datasets/hliang001/flickr2k' }, withKaggle);
      expect(response.status, response.raw.toString()).to.equal(201);
      expect(response.body.metadata.name).to.equal('flickr2k');
      const body = await details('dataset', response.body.metadata.id, withKaggle);
      expect(body.mirrored).to.equal(true);
      expect(body.origin).to.deep.include({ hub: 'kaggle', repo: 'hliang001/flickr2k', commit: 'version 1' });
      expect(body.package?.files.map((file) => file.path).sort()).to.deep.equal(['Flickr2K/Flickr2K_HR/000001.png', 'Flickr2K/Flickr2K_HR/000002.png', 'Flickr2K/Flickr2K_LR_bicubic/X2/000001x2.png']);
      const kaggleRequests = fake.requests.filter((request) => request.path.startsWith('/kaggle/api/'));
      expect(kaggleRequests.map((request) => request.path)).to.deep.equal(['/kaggle/api/v1/datasets/view/hliang001/flickr2k', '/kaggle/api/v1/datasets/download/hliang001/flickr2k?datasetVersionNumber=1']);
      const basic = `Basic ${Buffer.from(`${KAGGLE_CREDENTIALS.username}:${KAGGLE_CREDENTIALS.key}`).toString('base64')}`;
      expect(kaggleRequests.every((request) => request.headers.authorization === basic)).to.equal(true);
      const download = await downloadOf(withKaggle, 'dataset', response.body.metadata.id);
      expect(download.status).to.equal(200);
      expect(download.headers.get('content-type')).to.equal('application/zip');
    } finally {
      await withKaggle.close();
    }
  });

  it('when Kaggle refuses the credentials, then 502 SOURCE.ACCESS_DENIED says which settings to check, and nothing is stored', async () => {
    const wrong = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, KAGGLE_API_URL: fake.kaggleUrl, KAGGLE_USERNAME: 'someone', KAGGLE_KEY: 'wrong' } });
    try {
      const response = await register('dataset', { url: 'https://www.kaggle.com/datasets/hliang001/flickr2k' }, wrong);
      expect(response.status).to.equal(502);
      expect(response.body.code).to.equal('SOURCE.ACCESS_DENIED');
      expect(response.body.message).to.contain('KAGGLE_KEY');
      expect(await countArtifacts(wrong)).to.equal(0);
    } finally {
      await wrong.close();
    }
  });
});
