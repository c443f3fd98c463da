import { expect } from 'chai';
import { GitHubCodeHost } from '../../../src/adapters/github/github-code-host';
import { REST_REVIEW_BUDGET, sampleSizes, spread } from '../../../src/adapters/github/github-review-history';
import { githubCodeEvidence, reviewedness, EVIDENCE_SCHEMA_VERSION, type Evidence } from '../../../src/domain/rating';
import type { ChangeSpec } from '../../support/fake-upstream/github-history';
import { startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream/server';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Newest first: 1,450 lines through reviewed pull requests (squash and merge commit), 50 through an unreviewed one, 500 pushed directly. */
const MIXED: readonly ChangeSpec[] = [
  { kind: 'pull', author: 'alice', reviewers: ['bob'], merge: 'squash', files: [{ path: 'src/model.py', additions: 600 }] },
  { kind: 'direct', author: 'alice', files: [{ path: 'src/utils.py', additions: 200 }] },
  { kind: 'pull', author: 'dave', reviewers: ['carol'], merge: 'merge', files: [{ path: 'src/train.py', additions: 500 }, { path: 'README.md', additions: 100 }] },
  { kind: 'pull', author: 'erin', reviewers: [], merge: 'squash', files: [{ path: 'src/x.py', additions: 50 }] },
  { kind: 'direct', author: 'alice', files: [{ path: 'src/eval.py', additions: 300 }] },
  { kind: 'pull', author: 'bob', reviewers: ['alice'], merge: 'squash', files: [{ path: 'docs/guide.md', additions: 250 }] },
];

/** Many small changes: 10 reviewed pull requests of 40 lines, 40 direct pushes of 10 lines (true share 400 / 800). */
const BUSY: readonly ChangeSpec[] = Array.from({ length: 50 }, (_, i): ChangeSpec => (i % 5 === 0
  ? { kind: 'pull', author: 'alice', reviewers: ['bob'], merge: 'squash', files: [{ path: `src/p${i}.py`, additions: 40 }] }
  : { kind: 'direct', author: 'bob', files: [{ path: `src/d${i}.py`, additions: 10 }] }));

describe('GitHub review history: direct pushes counted with their real lines', () => {
  let fake: FakeUpstream;
  const github = (token?: string) => new GitHubCodeHost({ apiUrl: fake.githubUrl, timeoutMs: 2000, retries: 1, logger: silent, ...(token === undefined ? {} : { token }) });
  const addRepo = (fullName: string, changes: readonly ChangeSpec[]) => {
    const template = fake.fixtures.githubRepos.get('openai/whisper');
    if (!template) throw new Error('the whisper fixture is missing');
    fake.addGithubRepo({ ...template.spec, fullName, changes, gitTags: [], movedFrom: [] });
  };
  const rate = async (repo: string, token?: string) => {
    const history = await github(token).history(repo, 'main');
    const evidence: Evidence = { schemaVersion: EVIDENCE_SCHEMA_VERSION, collectedAt: '2025-12-15T00:00:00Z', origin: 'huggingface' as const, model: { repo: 'acme/m' }, files: [], code: githubCodeEvidence(repo, {}, history) };
    return { history, result: reviewedness(evidence) };
  };

  before(async () => {
    fake = await startFakeUpstream();
    addRepo('acme/mixed-review', MIXED);
    addRepo('acme/busy-review', BUSY);
  });
  after(() => fake.close());
  afterEach(() => fake.reset());

  it('when there is no token, then REST within its budget gives the true share of reviewed lines, 0.725', async () => {
    const { history, result } = await rate('acme/mixed-review');

    expect(result.value).to.equal(0.725);
    expect(result.inputs).to.include({ reviewedLines: 1450, pullRequestLines: 1500, directLines: 500, totalLines: 2000 });
    expect(history.window?.method).to.contain('REST');
    expect(fake.requests.filter((request) => /\/commits\/[0-9a-f]{40}$/.test(request.path))).to.have.length(2);
  });

  it('when a token is set, then GraphQL gives the same 0.725 in one request', async () => {
    const { history, result } = await rate('acme/mixed-review', 'ghp_test');

    expect(result.value).to.equal(0.725);
    expect(result.inputs).to.include({ reviewedLines: 1450, directLines: 500, totalLines: 2000 });
    expect(history.window?.method).to.equal('GitHub GraphQL (1 request)');
    expect(fake.requests.filter((request) => request.path.startsWith('/github/repos/acme/mixed-review/pulls'))).to.have.length(0);
  });

  it('when a merge commit brought a branch in, then the branch\'s own commits are not counted again as direct pushes', async () => {
    const { history } = await rate('acme/mixed-review');

    expect((history.commits ?? []).map((commit) => commit.viaPullRequest ?? 'direct')).to.deep.equal([6, 'direct', 4, 3, 'direct', 1]);
  });

  it('when the history needs more requests than the REST budget, then a sample is measured, scaled, and the explanation says so', async () => {
    const { result } = await rate('acme/busy-review');
    const spent = fake.requests.filter((request) => /\/github\/repos\/acme\/busy-review\/(commits|pulls)/.test(request.path));

    expect(spent.length).to.be.at.most(REST_REVIEW_BUDGET);
    expect(result.value).to.equal(0.5);
    expect(result.explanation.join(' ')).to.match(/estimated from a sample: line counts of \d+ of 40 direct commits .*30-request budget/);
  });

  it('when the same busy history is read with a token, then nothing is sampled', async () => {
    const { result } = await rate('acme/busy-review', 'ghp_test');

    expect(result.value).to.equal(0.5);
    expect(result.explanation.join(' ')).not.to.contain('sample');
  });

  it('when the budget is split, then both groups shrink in proportion and the sample is spread evenly', () => {
    expect(sampleSizes(4, 2, 28)).to.deep.equal({ pulls: 4, direct: 2 });
    expect(sampleSizes(10, 40, 28)).to.deep.equal({ pulls: 4, direct: 20 });
    expect(spread([1, 2, 3, 4, 5, 6, 7, 8], 2)).to.deep.equal([3, 7]);
  });
});
