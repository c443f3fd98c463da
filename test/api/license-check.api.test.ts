import { expect } from 'chai';
import { fillerBytes, zipBuffer } from '../support/hf-packages';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream/server';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';
import { wellFormedWeights } from '../support/fake-upstream/weights';

interface Report {
  compatible: boolean;
  model_license: { expression?: string; confidence: string };
  code_license: { expression?: string; confidence: string };
  reasons: string[];
  obligations: string[];
}

describe('API: license compatibility', () => {
  let fake: FakeUpstream;
  let registry: TestRegistry;
  const models = new Map<string, string>();

  const uploadModel = async (name: string, frontMatter: string): Promise<string> => {
    const zip = await zipBuffer([
      { path: 'README.md', content: `---\n${frontMatter}\n---\n# ${name}\n` },
      { path: 'model.safetensors', content: wellFormedWeights('model.safetensors', fillerBytes(name, 256)) },
    ]);
    const response = await registry.request<{ metadata: { id: string } }>('POST', `/artifact/model?name=${name}`, { body: zip, contentType: 'application/zip' });
    expect(response.status).to.equal(201);
    return response.body.metadata.id;
  };

  before(async () => {
    fake = await startFakeUpstream();
    registry = await startTestRegistry({ env: { HF_ENDPOINT: fake.hfUrl, GITHUB_API_URL: fake.githubUrl, TMR_UPSTREAM_TIMEOUT_MS: '1000', HF_TOKEN: fake.hfToken, TMR_INGEST_MIN_SCORE: '0' } });
    models.set('apache', await uploadModel('apache-model', 'license: apache-2.0'));
    models.set('gpl2', await uploadModel('gpl2-model', 'license: gpl-2.0'));
    models.set('noncommercial', await uploadModel('nc-model', 'license: cc-by-nc-4.0'));
    models.set('nd', await uploadModel('nd-model', 'license: cc-by-nd-4.0'));
    models.set('unlicensed', await uploadModel('bare-model', 'library_name: transformers'));
    const gemma = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model', { json: { url: 'https://huggingface.co/google/gemma-3-270m' } });
    expect(gemma.status, gemma.raw.toString()).to.equal(201);
    models.set('gemma', gemma.body.metadata.id);
  });
  after(async () => {
    await registry.close();
    await fake.close();
  });
  afterEach(() => fake.reset());

  const check = (model: string, repo: string) =>
    registry.request<boolean & { code: string; message: string }>('POST', `/artifact/model/${models.get(model) ?? model}/license-check`, { json: { github_url: `https://github.com/${repo}` } });
  const explain = (model: string, repo: string, query = '') =>
    registry.request<Report>('POST', `/artifact/model/${models.get(model)}/license-check/explain${query}`, { json: { github_url: `https://github.com/${repo}` } });

  const verdicts: [string, string, boolean, RegExp][] = [
    ['apache', 'openai/whisper', true, /MIT/],
    ['apache', 'jcpeterson/openwebtext', true, /GPL-3\.0/],
    ['gpl2', 'google-research/bert', false, /GPL-2\.0/],
    ['noncommercial', 'openai/whisper', false, /non-?commercial/i],
    ['nd', 'openai/whisper', false, /derivative/i],
    ['unlicensed', 'openai/whisper', false, /cannot be determined/],
    ['apache', 'openai/gpt-2', false, /cannot be determined/],
    ['apache', 'kabirraymalik/gello-bimanual-ur3', false, /cannot be determined/],
    ['gemma', 'huggingface/transformers', true, /Gemma/i],
  ];
  for (const [model, repo, compatible, reason] of verdicts) {
    it(`when a ${model} model meets ${repo}, then the verdict is ${compatible} and the explanation says why`, async () => {
      const answer = await check(model, repo);
      expect(answer.status, answer.raw.toString()).to.equal(200);
      expect(answer.body).to.equal(compatible);
      const report = await explain(model, repo);
      expect(report.body.compatible).to.equal(compatible);
      expect([...report.body.reasons, ...report.body.obligations].join(' | ')).to.match(reason);
    });
  }

  it('when the use is declared non-commercial, then a CC-BY-NC model becomes usable with obligations', async () => {
    const report = await explain('noncommercial', 'openai/whisper', '?commercial=false');
    expect(report.body.compatible).to.equal(true);
    expect(report.body.obligations.join(' ')).to.match(/non-?commercial/i);
  });

  it('when GitHub goes down after a project was checked, then the cached license still answers', async () => {
    expect((await check('apache', 'google-research/big_vision')).body).to.equal(true);
    fake.inject({ match: /\/repos\//, fault: { status: 500 } });
    const answer = await check('apache', 'google-research/big_vision');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.equal(true);
  });

  it('when the GitHub project does not exist, then 404', async () => {
    const answer = await check('apache', 'nobody/nothing');
    expect(answer.status).to.equal(404);
    expect(answer.body.code).to.equal('SOURCE.NOT_FOUND');
  });

  it('when GitHub is down for a project not seen before, then 502 and the message names GitHub', async () => {
    fake.inject({ match: /\/repos\/pytorch\/fairseq/, fault: { status: 500 } });
    const answer = await check('apache', 'pytorch/fairseq');
    expect(answer.status).to.equal(502);
    expect(answer.body.message).to.contain('GitHub');
  });

  it('when the URL is not a GitHub repository, then 400 before any request', async () => {
    for (const url of ['https://gitlab.com/a/b', 'https://huggingface.co/a/b', 'not a url', 'https://github.com/onlyowner']) {
      const answer = await registry.request<{ code: string }>('POST', `/artifact/model/${models.get('apache')}/license-check`, { json: { github_url: url } });
      expect(answer.status, url).to.equal(400);
    }
    expect(fake.requests).to.deep.equal([]);
  });

  it('when the model id is unknown or names a dataset, then 404', async () => {
    expect((await check('01JD0000000000000000000000', 'openai/whisper')).status).to.equal(404);
    const dataset = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/dataset?name=d', {
      body: await zipBuffer([{ path: 'data/train.csv', content: 'a,b\n1,2\n' }]), contentType: 'application/zip',
    });
    expect((await check(dataset.body.metadata.id, 'openai/whisper')).status).to.equal(404);
  });
});
