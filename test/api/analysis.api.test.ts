import { expect } from 'chai';
import { fillerBytes, tinyPackage, zipBuffer } from '../support/hf-packages';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { countArtifacts } from '../support/registry-probes';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

type Rating = Record<string, number | string | Record<string, number>> & { name: string; net_score: number; tree_score: number; size_score: Record<string, number> };
interface Graph {
  nodes: { artifact_id: string; name: string; source: string }[];
  edges: { from_node_artifact_id: string; to_node_artifact_id: string; relationship: string }[];
}
const SCORES = ['net_score', 'ramp_up_time', 'bus_factor', 'performance_claims', 'license', 'dataset_and_code_score', 'dataset_quality', 'code_quality', 'reproducibility', 'tree_score'];

describe('API: ratings, lineage and cost', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;
  const ids = new Map<string, string>();

  const register = async (url: string, type = 'model'): Promise<string> => {
    const response = await registry.request<{ metadata: { id: string } }>('POST', `/artifact/${type}`, { json: { url } });
    expect(response.status, response.raw.toString()).to.equal(201);
    return response.body.metadata.id;
  };

  before(async function () {
    this.timeout(60_000);
    fake = await startFakeUpstream();
    registry = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, HF_TOKEN: fake.hfToken, TMR_INGEST_MIN_SCORE: '0' } });
    // The adapter first, its base later: lineage and tree score must bind late.
    ids.set('lora', await register('https://huggingface.co/acme-test/tiny-lora'));
    ids.set('whisper', await register('https://huggingface.co/openai/whisper-tiny'));
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });

  const rate = (id: string) => registry.request<Rating>('GET', `/artifact/model/${id}/rate`);
  const lineage = (id: string, include?: 'all' | 'models') => registry.request<Graph & { code: string; message: string }>('GET', `/artifact/model/${id}/lineage${include === undefined ? '' : `?include=${include}`}`);

  it('when a model is rated, then every metric of the contract is present, in range, with a latency', async () => {
    const response = await rate(ids.get('whisper') ?? '');
    expect(response.status).to.equal(200);
    expect(response.body.name).to.equal('whisper-tiny');
    expect(response.body.category).to.equal('automatic-speech-recognition');
    for (const metric of SCORES) {
      expect(response.body[metric], metric).to.be.a('number').within(0, 1);
      expect(response.body[`${metric}_latency`], `${metric}_latency`).to.be.a('number').at.least(0);
    }
    expect(response.body.reviewedness).to.be.within(-1, 1);
    expect(Object.keys(response.body.size_score).sort()).to.deep.equal(['aws_server', 'desktop_pc', 'jetson_nano', 'raspberry_pi']);
  });

  it('when a model is rated twice, then the scores are identical and each read is audited as RATE', async () => {
    const id = ids.get('whisper') ?? '';
    const [first, second] = [await rate(id), await rate(id)];
    for (const metric of [...SCORES, 'reviewedness']) expect(second.body[metric], metric).to.equal(first.body[metric]);
    const trail = await registry.request<{ action: string }[]>('GET', `/artifact/model/${id}/audit`);
    expect(trail.body.filter((entry) => entry.action === 'RATE').length).to.be.at.least(2);
  });

  it('when the explanation is asked for, then each metric shows its inputs and reasons', async () => {
    const response = await registry.request<{ explanation: Record<string, { applicable: boolean; inputs: object; explanation: string[] }>; problems: string[] }>(
      'GET', `/artifact/model/${ids.get('whisper')}/rate/explain`,
    );
    expect(response.status).to.equal(200);
    expect(response.body.explanation.reproducibility?.explanation.join(' ')).to.contain('static');
    expect(response.body.explanation.reviewedness?.inputs).to.be.an('object');
    expect(response.body.problems).to.deep.equal([]);
  });

  it('when the base model is not registered, then the default lineage holds the model alone, include=all names the base as an external ancestor, and tree score does not apply', async () => {
    const lora = ids.get('lora') ?? '';
    const registered = await lineage(lora);
    expect(registered.status).to.equal(200);
    expect(registered.body).to.deep.equal({ nodes: [{ artifact_id: lora, name: 'tiny-lora', source: 'registry', metadata: { repository_url: 'https://huggingface.co/acme-test/tiny-lora', type: 'model', registered: true } }], edges: [] });
    const graph = await lineage(lora, 'all');
    expect(graph.status).to.equal(200);
    const base = graph.body.nodes.find((node) => node.name.includes('bert-base-uncased'));
    expect(base?.artifact_id).to.match(/^ext-[0-9a-f]{16}$/);
    const edge = graph.body.edges.find((candidate) => candidate.from_node_artifact_id === base?.artifact_id);
    expect(edge).to.include({ to_node_artifact_id: lora, relationship: 'adapter' });
    expect(graph.body.edges.map((e) => e.relationship)).to.include.members(['fine_tuning_dataset', 'training_code']);
    expect((await rate(lora)).body.tree_score).to.equal(0);
  });

  it('when the base is registered afterwards, then the adapter links to it and its tree score is the base\'s net score', async () => {
    const lora = ids.get('lora') ?? '';
    const bert = await register('https://huggingface.co/google-bert/bert-base-uncased');
    ids.set('bert', bert);
    const graph = await lineage(lora);
    expect(graph.body.nodes.map((node) => node.artifact_id)).to.have.members([bert, lora]);
    expect(graph.body.edges).to.deep.equal([{ from_node_artifact_id: bert, to_node_artifact_id: lora, relationship: 'adapter', source: 'model_card' }]);
    expect((await lineage(bert)).body, 'the base answers with the same family').to.deep.equal(graph.body);
    expect((await rate(lora)).body.tree_score).to.equal((await rate(bert)).body.net_score);
  });

  it('when the cost is asked for, then it is the stored size in MB, and with dependencies each registered ancestor counts once', async () => {
    const lora = ids.get('lora') ?? '';
    const bert = ids.get('bert') ?? '';
    const details = async (id: string) => (await registry.request<{ package: { size: number } }>('GET', `/artifacts/model/${id}/details`)).body.package.size;
    const [loraBytes, bertBytes] = [await details(lora), await details(bert)];
    const alone = await registry.request<Record<string, { total_cost: number }>>('GET', `/artifact/model/${lora}/cost`);
    expect(alone.body).to.deep.equal({ [lora]: { total_cost: Number((loraBytes / 1e6).toFixed(3)) } });
    const withDeps = await registry.request<Record<string, { standalone_cost: number; total_cost: number }>>('GET', `/artifact/model/${lora}/cost?dependency=true`);
    expect(withDeps.body[bert]?.standalone_cost).to.equal(Number((bertBytes / 1e6).toFixed(3)));
    expect(withDeps.body[lora]?.total_cost).to.be.closeTo((loraBytes + bertBytes) / 1e6, 0.002);
  });

  it('when fifty rating requests for three models arrive at once, then all succeed with consistent answers', async () => {
    const models = [ids.get('whisper'), ids.get('bert'), ids.get('lora')].map(String);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => rate(models[i % 3] ?? '')));
    expect(responses.every((response) => response.status === 200)).to.equal(true);
    for (const [index, id] of models.entries()) {
      const scores = new Set(responses.filter((_, i) => i % 3 === index).map((response) => response.body.net_score));
      expect(scores.size, id).to.equal(1);
    }
  });

  it('when an uploaded model is rated, then its own files are the evidence and it was not gated', async () => {
    const upload = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=my-upload', { body: await tinyPackage('my-upload'), contentType: 'application/zip' });
    const response = await rate(upload.body.metadata.id);
    expect(response.status).to.equal(200);
    expect(response.body.license).to.equal(1);
  });

  it('when a model has no metadata lineage can be read from, then 400 says so', async () => {
    const zip = await zipBuffer([{ path: 'README.md', content: '# bare\n' }, { path: 'model.bin', content: fillerBytes('bare', 64) }]);
    const upload = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=bare', { body: zip, contentType: 'application/zip' });
    const response = await lineage(upload.body.metadata.id);
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('config.json');
  });

  it('when rating or lineage is asked of a dataset id or an unknown id, then 404', async () => {
    const dataset = await register('https://huggingface.co/datasets/rajpurkar/squad', 'dataset');
    expect((await rate(dataset)).status).to.equal(404);
    expect((await lineage('01JD0000000000000000000000')).status).to.equal(404);
    const cost = await registry.request<Record<string, { total_cost: number }>>('GET', `/artifact/dataset/${dataset}/cost`);
    expect(cost.status).to.equal(200);
  });
});

describe('API: the ingest gate', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;

  before(async () => {
    fake = await startFakeUpstream();
    registry = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl } });
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });

  it('when a public model below TMR_INGEST_MIN_SCORE is vetted, then 424 names each failing metric and its value, and nothing is stored', async () => {
    const before = await countArtifacts(registry);
    const response = await registry.request<{ code: string; message: string; details: { threshold: number; failing: { metric: string; value: number }[] } }>(
      'POST', '/artifact/ingest', { json: { url: 'https://huggingface.co/parvk11/audience_classifier_model' } },
    );
    expect(response.status).to.equal(424);
    expect(response.body.code).to.equal('RATING.BELOW_THRESHOLD');
    expect(response.body.details.threshold).to.equal(0.5);
    expect(response.body.details.failing.map((f) => f.metric)).to.include('license');
    for (const { metric, value } of response.body.details.failing) {
      expect(value).to.be.below(0.5);
      expect(response.body.message).to.contain(`${metric} ${value}`);
    }
    expect(await countArtifacts(registry)).to.equal(before);
  });

  it('when the same model is registered instead, then it is stored and flagged below the bar with the same failing metrics', async () => {
    const response = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/parvk11/audience_classifier_model' } });
    expect(response.status).to.equal(201);
    const details = await registry.request<{ trust?: { meets_bar: boolean; failing: { metric: string }[] } }>('GET', `/artifacts/model/${response.body.metadata.id}/details`);
    expect(details.body.trust?.meets_bar).to.equal(false);
    expect(details.body.trust?.failing.map((f) => f.metric)).to.include('license');
  });

  it('when an uploaded zip would fail the same bar, then it is still accepted, rated and flagged: internal uploads are never refused for scores', async () => {
    const zip = await zipBuffer([{ path: 'README.md', content: '# internal\n' }, { path: 'model.bin', content: fillerBytes('internal', 64) }]);
    const response = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=internal', { body: zip, contentType: 'application/zip' });
    expect(response.status).to.equal(201);
    const details = await registry.request<{ trust?: { meets_bar: boolean; failing: unknown[] } }>('GET', `/artifacts/model/${response.body.metadata.id}/details`);
    expect(details.body.trust?.meets_bar).to.equal(false);
    expect(details.body.trust?.failing).to.have.length.greaterThan(0);
  });
});
