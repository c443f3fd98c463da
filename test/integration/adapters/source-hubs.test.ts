import { expect } from 'chai';
import { ErrorCode } from '../../../src/domain/errors';
import { GitHubCodeHost } from '../../../src/adapters/github/github-code-host';
import { HuggingFaceModelHub } from '../../../src/adapters/huggingface/hugging-face-model-hub';
import { ZipPackageArchive } from '../../../src/adapters/archive/zip-package-archive';
import { DEFAULT_PACKAGE_LIMITS } from '../../../src/domain/package-policy';
import type { HubRepoRef } from '../../../src/ports/source-hubs.port';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream/server';
import { expectRejection } from '../../support/zip-builder';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const BERT: HubRepoRef = { kind: 'model', repo: 'google-bert/bert-base-uncased', revision: 'main' };

describe('HuggingFaceModelHub and GitHubCodeHost against the fake upstream', () => {
  let fake: FakeUpstream;
  const hub = (overrides: { token?: string; timeoutMs?: number; retries?: number } = {}) =>
    new HuggingFaceModelHub({ endpoint: fake.hfUrl, timeoutMs: overrides.timeoutMs ?? 2000, retries: overrides.retries ?? 2, logger: silent, ...(overrides.token === undefined ? {} : { token: overrides.token }) });
  const github = (timeoutMs = 2000) => new GitHubCodeHost({ apiUrl: fake.githubUrl, timeoutMs, retries: 1, logger: silent });

  before(async () => {
    fake = await startFakeUpstream({ treePageSize: 5 });
  });
  after(() => fake.close());
  afterEach(() => fake.reset());

  it('when a model is described, then info, files (across tree pages) and tags match what the Hub serves', async () => {
    const info = await hub().info(BERT);
    expect(info.commit).to.match(/^[0-9a-f]{40}$/);
    expect(info.info).to.include.keys('downloads', 'likes', 'tags', 'cardData', 'sha');
    const fixture = fake.fixtures.models.get(BERT.repo);
    const files = await hub().listFiles({ ...BERT, revision: info.commit ?? 'main' });
    expect(files.map((f) => f.path).sort()).to.deep.equal(fixture?.files.map((f) => f.path).sort());
    expect(files.filter((f) => f.sha256 !== undefined).length).to.be.greaterThan(0);
    expect(await hub().listTags(BERT)).to.deep.equal(['v1.0.0']);
  });

  it('when a model is staged, then the zip holds every listed file and passes the package policy', async () => {
    const files = await hub().listFiles(BERT);
    const staged = await hub().stage(BERT, files);
    try {
      const inspection = await new ZipPackageArchive().inspect(staged.path, DEFAULT_PACKAGE_LIMITS);
      expect(inspection.files.map((f) => f.path).sort()).to.deep.equal(files.map((f) => f.path).sort());
      expect(inspection.readme).to.contain('BERT');
      expect(inspection.config).to.have.property('model_type');
      expect(fake.requests.filter((r) => r.server === 'foreign')).to.deep.equal([]);
    } finally {
      await staged.dispose();
    }
  });

  it('when a dataset is described and staged, then its card and data files arrive', async () => {
    const ref: HubRepoRef = { kind: 'dataset', repo: 'rajpurkar/squad', revision: 'main' };
    const info = await hub().info(ref);
    expect(info.info).to.have.property('cardData');
    const staged = await hub().stage(ref, await hub().listFiles(ref));
    expect(staged.size).to.be.greaterThan(0);
    await staged.dispose();
  });

  it('when the repository does not exist, then SOURCE.NOT_FOUND names the public URL', async () => {
    const error = await expectRejection(hub().info({ ...BERT, repo: 'nobody/nothing' }), ErrorCode.SourceNotFound);
    expect(error.message).to.contain('https://huggingface.co/nobody/nothing');
  });

  it('when the Hub fails once with 503, then the retry succeeds', async () => {
    const fault = fake.inject({ match: /\/api\/models\/google-bert/, times: 1, fault: { status: 503 } });
    expect((await hub().info(BERT)).commit).to.be.a('string');
    expect(fault.hits).to.equal(1);
  });

  it('when the Hub keeps failing with 500, then UPSTREAM.UNAVAILABLE', async () => {
    fake.inject({ match: /\/api\/models\/google-bert/, fault: { status: 500 } });
    await expectRejection(hub({ retries: 1 }).info(BERT), ErrorCode.UpstreamUnavailable);
  });

  it('when the Hub rate-limits with Retry-After, then the client waits and succeeds', async () => {
    const fault = fake.inject({ match: /\/refs/, times: 1, fault: { status: 429, retryAfterSeconds: 1 } });
    expect(await hub().listTags(BERT)).to.deep.equal(['v1.0.0']);
    expect(fault.hits).to.equal(1);
  });

  it('when the Hub never answers, then UPSTREAM.TIMEOUT', async () => {
    fake.inject({ match: /\/api\/models\/google-bert/, fault: { hang: true } });
    await expectRejection(hub({ timeoutMs: 200, retries: 1 }).info(BERT), ErrorCode.UpstreamTimeout);
  });

  it('when a weight file is corrupted in transit, then staging fails with SOURCE.INTEGRITY and leaves no file', async () => {
    const files = await hub().listFiles(BERT);
    fake.inject({ match: /model\.safetensors|\/cdn\//, fault: { corruptBody: true } });
    const error = await expectRejection(hub().stage(BERT, files), ErrorCode.SourceIntegrity);
    expect(error.message).to.contain('hashes to');
  });

  it('when a download is cut short, then staging fails instead of storing a partial file', async () => {
    const files = await hub().listFiles(BERT);
    fake.inject({ match: /resolve\/.*config\.json/, fault: { truncateAfterBytes: 10 } });
    let failed = false;
    await hub({ retries: 0 }).stage(BERT, files).then((staged) => staged.dispose(), () => (failed = true));
    expect(failed).to.equal(true);
  });

  it('when a large file redirects to a foreign host, then the download is refused without contacting it', async () => {
    fake.setLfsRedirect('foreign');
    try {
      const files = await hub().listFiles(BERT);
      await expectRejection(hub().stage(BERT, files), ErrorCode.UpstreamUnavailable);
      expect(fake.requests.filter((r) => r.server === 'foreign')).to.deep.equal([]);
    } finally {
      fake.setLfsRedirect('same-origin');
    }
  });

  it('when a gated model is fetched without a token, then SOURCE.ACCESS_DENIED explains HF_TOKEN; with the token it works', async () => {
    const gemma: HubRepoRef = { kind: 'model', repo: 'google/gemma-3-270m', revision: 'main' };
    const files = await hub().listFiles(gemma);
    const error = await expectRejection(hub().stage(gemma, files), ErrorCode.SourceAccessDenied);
    expect(error.message).to.contain('HF_TOKEN');
    const staged = await hub({ token: fake.hfToken }).stage(gemma, files);
    await staged.dispose();
  });

  it('when twenty callers describe the same model at once, then the Hub sees one request', async () => {
    const shared = hub();
    fake.reset();
    await Promise.all(Array.from({ length: 20 }, () => shared.info(BERT)));
    expect(fake.requests.filter((r) => r.path.includes('/api/models/google-bert')).length).to.equal(1);
  });

  it('when a GitHub repository is described and staged, then the archive is unwrapped to the repository layout', async () => {
    const repo = 'openai/whisper';
    const info = await github().repository(repo);
    expect(info.defaultBranch).to.equal('main');
    expect(info.commit).to.match(/^[0-9a-f]{40}$/);
    expect(info.info).to.include.keys('license', 'stargazers_count');
    const staged = await github().stage(repo, info.commit ?? 'main', 50 * 1024 * 1024);
    try {
      const inspection = await new ZipPackageArchive().inspect(staged.path, DEFAULT_PACKAGE_LIMITS);
      expect(inspection.files.some((f) => f.path.includes('/') && f.path.startsWith('whisper'))).to.equal(true);
      expect(inspection.files.every((f) => !f.path.startsWith('openai-whisper-'))).to.equal(true);
      expect(inspection.readme).to.be.a('string');
    } finally {
      await staged.dispose();
    }
  });

  it('when the archive is larger than the limit, then SOURCE.TOO_LARGE', async () => {
    await expectRejection(github().stage('openai/whisper', 'main', 1024), ErrorCode.SourceTooLarge);
  });

  it('when GitHub has no such repository, then SOURCE.NOT_FOUND names it', async () => {
    const error = await expectRejection(github().repository('nobody/nothing'), ErrorCode.SourceNotFound);
    expect(error.message).to.contain('https://github.com/nobody/nothing');
  });

  it('when GitHub\'s rate limit is exhausted for longer than the client waits, then UPSTREAM.RATE_LIMITED', async () => {
    fake.inject({ match: /\/repos\/openai\/whisper$/, fault: { status: 403, retryAfterSeconds: 3600 } });
    const error = await expectRejection(github().repository('openai/whisper'), ErrorCode.UpstreamRateLimited);
    expect(error.message).to.contain('GITHUB_TOKEN');
  });
});

describe('GitHubCodeHost history against the fake upstream', () => {
  let fake: FakeUpstream;
  const github = (token?: string) => new GitHubCodeHost({ apiUrl: fake.githubUrl, timeoutMs: 2000, retries: 1, logger: silent, ...(token === undefined ? {} : { token }) });

  before(async () => {
    fake = await startFakeUpstream();
  });
  after(() => fake.close());

  it('when a repository with reviewed pull requests is read, then contributors, tree, commits and reviewed PRs with their lines come back', async () => {
    const history = await github().history('openai/whisper', 'main');
    expect(history.contributors?.length).to.be.greaterThan(0);
    expect(history.files?.some((file) => file.path.endsWith('.py'))).to.equal(true);
    expect(history.readme).to.contain('whisper');
    expect(history.commits?.length).to.be.greaterThan(0);
    const pulls = history.pullRequests ?? [];
    expect(pulls.length).to.be.greaterThan(0);
    expect(pulls.some((pull) => pull.reviewed)).to.equal(true);
    expect(pulls.every((pull) => pull.mergedAt !== null && pull.additions === (pull.files ?? []).reduce((sum, f) => sum + f.additions, 0))).to.equal(true);
    expect(history.commits?.some((commit) => commit.viaPullRequest !== undefined)).to.equal(true);
    expect(history.window?.basis).to.equal('last 100 commits on the first-parent line of main');
  });

  it('when no pull request was ever reviewed, then every collected pull request says so', async () => {
    const history = await github().history('google-deepmind/bbeh', 'main');
    expect((history.pullRequests ?? []).every((pull) => !pull.reviewed)).to.equal(true);
  });

  it('when a token is configured, then the review history comes from GraphQL in two requests and measures every change', async () => {
    fake.reset();
    const history = await github('ghp_test').history('openai/whisper', 'main');

    const graphql = fake.requests.filter((request) => request.path === '/github/graphql');
    expect(graphql.map((request) => request.method)).to.deep.equal(['POST', 'POST']);
    expect(fake.requests.some((request) => /\/pulls\/\d+\/reviews|\/commits\/[0-9a-f]{40}$/.test(request.path))).to.equal(false);
    expect(history.window?.method).to.equal('GitHub GraphQL (2 requests)');
    expect(history.commits?.filter((commit) => commit.viaPullRequest === undefined).every((commit) => typeof commit.additions === 'number')).to.equal(true);
    expect(history.window?.pullRequestCount).to.equal(history.pullRequests?.length);
  });

  it('when the repository has no README, then history still comes back without one', async () => {
    const history = await github().history('kabirraymalik/gello-bimanual-ur3', 'main');
    expect(history.readme).to.equal(undefined);
    expect(history.contributors?.length).to.be.greaterThan(0);
  });
});
