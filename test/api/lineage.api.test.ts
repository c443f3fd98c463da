import { expect } from 'chai';
import { fillerBytes, zipBuffer } from '../support/hf-packages';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Graph {
  nodes: { artifact_id: string; name: string; source: string; metadata?: Record<string, unknown> }[];
  edges: { from_node_artifact_id: string; to_node_artifact_id: string; relationship: string; source: string }[];
}

/** A model package whose card declares its parents (and, optionally, its training data). */
const modelZip = (name: string, front: string, files: { path: string; content: string }[] = []) =>
  zipBuffer([{ path: 'README.md', content: `---\nlicense: apache-2.0\n${front}---\n# ${name}\n` }, { path: 'model.safetensors', content: fillerBytes(name, 256) }, ...files]);

describe('API: lineage answers "what came from this?"', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;
  const ids = new Map<string, string>();

  const upload = async (name: string, front: string, files: { path: string; content: string }[] = []): Promise<string> => {
    const response = await registry.request<{ metadata: { id: string } }>('POST', `/artifact/model?name=${name}`, { body: await modelZip(name, front, files), contentType: 'application/zip' });
    expect(response.status, response.raw.toString()).to.equal(201);
    ids.set(name, response.body.metadata.id);
    return response.body.metadata.id;
  };
  const lineage = (name: string, include?: string) => registry.request<Graph & { code?: string }>('GET', `/artifact/model/${ids.get(name) ?? name}/lineage${include === undefined ? '' : `?include=${include}`}`);

  before(async () => {
    fake = await startFakeUpstream();
    registry = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl } });
    // Children before their parents, grandchildren before theirs: the graph binds when asked, not when stored.
    await upload('family-chat-q4', 'base_model: acme/family-chat\nbase_model_relation: quantized\n');
    await upload('family-chat', 'base_model: acme/family-base\ndatasets:\n- rajpurkar/squad\n');
    await upload('family-base', 'datasets:\n- bookcorpus\n', [{ path: 'config.json', content: '{"model_type": "bert", "_name_or_path": "google-bert/bert-base-uncased"}' }]);
    await upload('family-code', 'base_model: acme/family-base\n');
    await upload('family-code-lora', 'base_model: acme/family-code\n', [{ path: 'adapter_config.json', content: '{"base_model_name_or_path": "acme/family-code", "peft_type": "LORA"}' }]);
    await upload('stranger', 'base_model: someone/else\n');
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });

  it('when any member of a family is asked, then each answers with the same graph of registered models, ancestors and descendants', async () => {
    const members = ['family-base', 'family-chat', 'family-chat-q4', 'family-code', 'family-code-lora'];
    const graphs = await Promise.all(members.map((name) => lineage(name)));

    for (const graph of graphs) expect(graph.status).to.equal(200);
    for (const graph of graphs.slice(1)) expect(graph.body).to.deep.equal(graphs[0]?.body);
    const body = graphs[0]?.body as Graph;
    expect(body.nodes.map((node) => node.name).sort()).to.deep.equal([...members].sort());
    expect(body.nodes.every((node) => node.source === 'registry' && node.metadata?.['registered'] === true)).to.equal(true);
    const edge = (from: string, to: string) => body.edges.find((candidate) => candidate.from_node_artifact_id === ids.get(from) && candidate.to_node_artifact_id === ids.get(to));
    expect(edge('family-base', 'family-chat')).to.include({ relationship: 'finetune', source: 'model_card' });
    expect(edge('family-chat', 'family-chat-q4')).to.include({ relationship: 'quantized', source: 'model_card' });
    expect(edge('family-code', 'family-code-lora')).to.include({ relationship: 'adapter' });
    expect(body.edges).to.have.length(4);
  });

  it('when the base model is asked what came from it, then every registered fine-tune, adapter and quantization is a descendant', async () => {
    const { body } = await lineage('family-base');
    const descendants = new Set<string>();
    const walk = (id: string): void => body.edges.filter((edge) => edge.from_node_artifact_id === id).forEach((edge) => {
      descendants.add(edge.to_node_artifact_id);
      walk(edge.to_node_artifact_id);
    });
    walk(ids.get('family-base') ?? '');

    expect([...descendants].sort()).to.deep.equal(['family-chat', 'family-chat-q4', 'family-code', 'family-code-lora'].map((name) => ids.get(name)).sort());
  });

  it('when include=all is asked, then datasets, code and outside ancestors of every member are added, and the answer is again the same from any member', async () => {
    const [fromBase, fromLeaf] = await Promise.all([lineage('family-base', 'all'), lineage('family-code-lora', 'all')]);

    expect(fromBase.body).to.deep.equal(fromLeaf.body);
    const external = fromBase.body.nodes.filter((node) => node.artifact_id.startsWith('ext-')).map((node) => node.name).sort();
    expect(external).to.deep.equal(['bookcorpus', 'google-bert/bert-base-uncased', 'rajpurkar/squad']);
    expect(fromBase.body.edges.map((edge) => edge.relationship)).to.include.members(['base_model', 'fine_tuning_dataset', 'finetune', 'quantized', 'adapter']);
  });

  it('when a model is outside every family, then its default lineage is itself alone and strangers never join', async () => {
    const { body } = await lineage('stranger');

    expect(body.nodes.map((node) => node.name)).to.deep.equal(['stranger']);
    expect(body.edges).to.deep.equal([]);
    expect((await lineage('stranger', 'all')).body.nodes.map((node) => node.name).sort()).to.deep.equal(['someone/else', 'stranger']);
  });

  it('when include names something else, then 400 before anything is computed', async () => {
    expect((await lineage('family-base', 'everything')).status).to.equal(400);
  });
});
