import { expect } from 'chai';
import { cardEvidence, githubCodeEvidence, hubDatasetEvidence, hubModelEvidence, isReviewed, packageEvidence } from '../../../../src/domain/rating';
import { EVIDENCE_TEXT_LIMIT } from '../../../../src/domain/rating/evidence';

describe('evidence collection mappers', () => {
  it('when the Hub answers model info, then the card data, tags, gating and dates are mapped', () => {
    const info = {
      id: 'google/gemma-3-270m', downloads: 152553, likes: 862, gated: 'auto', task: 'text-generation', library_name: 'transformers',
      tags: ['gemma3', 'license:gemma'], cardData: { license: 'gemma' }, createdAt: new Date('2025-08-05T16:44:29.000Z'),
      updatedAt: new Date('2025-08-14T07:35:01.000Z'), sha: 'abc', safetensors: { total: 268_098_176 },
    };

    expect(hubModelEvidence('google/gemma-3-270m', info)).to.deep.equal({
      repo: 'google/gemma-3-270m', author: 'google', downloads: 152553, likes: 862, tags: ['gemma3', 'license:gemma'],
      pipelineTag: 'text-generation', libraryName: 'transformers', license: 'gemma', gated: true,
      lastModified: '2025-08-14T07:35:01.000Z', createdAt: '2025-08-05T16:44:29.000Z', sha: 'abc', parameters: 268_098_176,
    });
  });

  it('when the Hub says "other" with a name and link, then both are kept for the license metric', () => {
    const model = hubModelEvidence('meta-llama/x', { gated: false, cardData: { license: 'other', license_name: 'llama3', license_link: 'LICENSE' } });

    expect(model).to.deep.include({ license: 'other', licenseName: 'llama3', licenseLink: 'LICENSE', gated: false, author: 'meta-llama' });
  });

  it('when a README is turned into card evidence, then its front matter goes and a huge body is bounded', () => {
    expect(cardEvidence('---\nlicense: mit\n---\n# Hi\n', { license: 'mit' })).to.deep.equal({ text: '# Hi\n', metadata: { license: 'mit' } });
    const huge = cardEvidence('x'.repeat(EVIDENCE_TEXT_LIMIT + 10));
    expect(huge.text).to.have.length(EVIDENCE_TEXT_LIMIT);
    expect(huge.truncated).to.equal(true);
  });

  it('when GitHub answers repository info, then license, activity and popularity are mapped and history attached', () => {
    const info = { html_url: 'https://github.com/openai/whisper', license: { spdx_id: 'MIT', key: 'mit', name: 'MIT License' }, pushed_at: '2025-09-08T10:58:26Z', archived: false, stargazers_count: 89158 };

    const code = githubCodeEvidence('openai/whisper', info, { contributors: [{ login: 'jongwook', contributions: 72 }], linkReason: 'named' });

    expect(code).to.deep.equal({
      repo: 'openai/whisper', url: 'https://github.com/openai/whisper', linkReason: 'named', license: { spdxId: 'MIT', key: 'mit', name: 'MIT License' },
      stars: 89158, archived: false, pushedAt: '2025-09-08T10:58:26Z', contributors: [{ login: 'jongwook', contributions: 72 }],
    });
  });

  it('when a dataset is looked up, then it is marked found with its license from the card data', () => {
    expect(hubDatasetEvidence('rajpurkar/squad', { downloads: 10, cardData: { license: ['cc-by-sa-4.0'] } }, undefined, 3)).to.deep.equal({
      name: 'rajpurkar/squad', found: true, downloads: 10, license: 'cc-by-sa-4.0', fileCount: 3,
    });
  });

  it('when reviews are read, then only a review by someone other than the author counts', () => {
    expect(isReviewed('alice', [{ user: 'alice', state: 'APPROVED' }])).to.equal(false);
    expect(isReviewed('alice', [{ user: 'bob', state: 'DISMISSED' }, { user: 'bob', state: 'COMMENTED' }])).to.equal(true);
    expect(isReviewed('alice', [{ user: null, state: 'APPROVED' }])).to.equal(false);
  });

  it('when an uploaded package is described, then its card, files, datasets and links give the same sections', () => {
    const evidence = packageEvidence({
      name: 'acme-classifier', collectedAt: '2025-12-15T00:00:00Z', files: [{ path: 'model.safetensors', size: 10 }],
      readme: '---\nlicense: apache-2.0\n---\n# Acme\nCode: https://github.com/acme/classifier\n',
      cardMetadata: { license: 'apache-2.0', datasets: ['acme/tickets'], pipeline_tag: 'text-classification' }, config: { model_type: 'bert' },
    });

    expect(evidence).to.deep.include({ origin: 'upload', files: [{ path: 'model.safetensors', size: 10 }], datasets: [{ name: 'acme/tickets' }], codeLinks: ['https://github.com/acme/classifier'] });
    expect(evidence.model).to.deep.equal({ repo: 'acme-classifier', pipelineTag: 'text-classification', license: 'apache-2.0' });
    expect(evidence.card?.text).to.equal('# Acme\nCode: https://github.com/acme/classifier\n');
  });

  it('when evidence is stored as JSON and read back, then nothing is lost', () => {
    const evidence = packageEvidence({ name: 'x', collectedAt: '2025-12-15T00:00:00Z', files: [], readme: '# x', cardMetadata: {} });

    expect(JSON.parse(JSON.stringify(evidence))).to.deep.equal(evidence);
  });
});
