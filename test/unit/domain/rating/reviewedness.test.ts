import { expect } from 'chai';
import { reviewedness } from '../../../../src/domain/rating';
import { isReviewablePath } from '../../../../src/domain/rating/reviewedness.metric';
import { aCommit, anEvidence, aPull, aRepo } from './evidence-mother';
import { evidenceFromReference, referenceModel } from './reference-evidence';

describe('reviewedness', () => {
  it('when no repository is linked, then the value is -1 and the metric does not apply', () => {
    const result = reviewedness(evidenceFromReference(referenceModel('parvk11/audience_classifier_model')));

    expect(result).to.deep.include({ value: -1, applicable: false });
  });

  it('when a repository is linked but no review history was collected, then there is no value (-1) and the reason, not a 0', () => {
    const result = reviewedness(evidenceFromReference(referenceModel('openai/whisper-tiny')));

    expect(result).to.deep.include({ value: -1, applicable: false, unavailable: 'no review history was collected for openai/whisper' });
  });

  it('when the linked repository could not be read, then there is no value and the upstream\'s reason', () => {
    const result = reviewedness(anEvidence({ code: aRepo({ unavailable: 'GitHub\'s rate limit is exhausted' }) }));

    expect(result).to.deep.include({ value: -1, applicable: false, unavailable: 'the linked repository acme/tiny-model-code could not be read (GitHub\'s rate limit is exhausted)' });
  });

  it('when 1,450 lines came through reviewed pull requests, 50 through an unreviewed one and 500 were pushed directly, then 0.725', () => {
    const pulls = [aPull(1, { additions: 1000 }), aPull(2, { additions: 450 }), aPull(3, { additions: 50, reviewed: false })];
    const commits = [aCommit('a', { viaPullRequest: 1 }), aCommit('b', { viaPullRequest: 2 }), aCommit('c', { viaPullRequest: 3 }), aCommit('d', { additions: 200 }), aCommit('e', { additions: 300 })];

    const result = reviewedness(anEvidence({ code: aRepo({ pullRequests: pulls, commits }) }));

    expect(result.value).to.equal(0.725);
    expect(result.inputs).to.include({ reviewedLines: 1450, pullRequestLines: 1500, directLines: 500, totalLines: 2000 });
  });

  it('when only a sample of direct commits was measured, then each group is scaled by its mean and the explanation says so', () => {
    const commits = [aCommit('a', { viaPullRequest: 1 }), aCommit('b', { additions: 100 }), aCommit('c', {}), aCommit('d', {})].map((commit) => (commit.sha === 'c' || commit.sha === 'd' ? { sha: commit.sha, date: commit.date } : commit));
    const code = aRepo({ pullRequests: [aPull(1, { additions: 300 })], commits, window: { truncated: false, method: 'a 30-request GitHub REST budget' } });

    const result = reviewedness(anEvidence({ code }));

    expect(result.value).to.equal(0.5);
    expect(result.explanation[2]).to.equal('estimated from a sample: line counts of 1 of 3 direct commits were fetched within a 30-request GitHub REST budget; each group\'s lines were scaled up by its measured mean');
  });

  it('when direct commits exist but none was measured, then there is no value rather than a flattering one', () => {
    const code = aRepo({ pullRequests: [aPull(1)], commits: [aCommit('a', { viaPullRequest: 1 }), { sha: 'b', date: '2025-11-01T00:00:00Z' }] });

    expect(reviewedness(anEvidence({ code }))).to.deep.include({ value: -1, applicable: false });
  });

  it('when three of four merged pull requests were reviewed and nothing was pushed directly, then the share of their lines counts', () => {
    const pulls = [aPull(1, { additions: 300 }), aPull(2, { additions: 100 }), aPull(3, { additions: 100 }), aPull(4, { additions: 500, reviewed: false }), aPull(5, { mergedAt: null, additions: 9_999 })];

    const result = reviewedness(anEvidence({ code: aRepo({ pullRequests: pulls, commits: [] }) }));

    expect(result.value).to.equal(0.5);
    expect(result.inputs).to.include({ mergedPulls: 4, reviewedPulls: 3, reviewedLines: 500, totalLines: 1000 });
  });

  it('when the repository has no reviewed pull request, then the value is 0', () => {
    const result = reviewedness(anEvidence({ code: aRepo({ pullRequests: [aPull(1, { reviewed: false })], commits: [] }) }));

    expect(result.value).to.equal(0);
    expect(result.explanation[1]).to.match(/^0 reviewed merged pull requests of 1/);
  });

  it('when commits were pushed without a pull request, then their lines count as unreviewed', () => {
    const code = aRepo({ pullRequests: [aPull(1, { additions: 100 })], commits: [aCommit('a', { viaPullRequest: 1, additions: 100 }), aCommit('b', { additions: 300 })] });

    expect(reviewedness(anEvidence({ code })).value).to.equal(0.25);
  });

  it('when a pull request adds weights, data and a notebook beside code, then only the code lines count', () => {
    const files = [
      { path: 'src/train.py', additions: 80 }, { path: 'README.md', additions: 20 }, { path: 'model.safetensors', additions: 5000 },
      { path: 'data/train.csv', additions: 9000 }, { path: 'demo.ipynb', additions: 700 }, { path: 'poetry.lock', additions: 400 },
    ];
    const code = aRepo({ pullRequests: [aPull(1, { files, additions: 15_200 }), aPull(2, { reviewed: false, additions: 100, files: [{ path: 'x.py', additions: 100 }] })], commits: [] });

    const result = reviewedness(anEvidence({ code }));

    expect(result.inputs).to.include({ reviewedLines: 100, totalLines: 200 });
  });

  it('when no code line was added in the window, then the value is 0 and the window is named', () => {
    const code = aRepo({ pullRequests: [], commits: [], window: { basis: 'last 100 commits of main', truncated: false } });

    expect(reviewedness(anEvidence({ code })).explanation[0]).to.equal('no code lines were added in the window (last 100 commits of main), so none can be shown to be reviewed (0)');
  });

  it('when paths are classified, then code and prose are reviewable and weights, data, notebooks and lock files are not', () => {
    expect(['a.py', 'docs/x.md', 'config.json'].map(isReviewablePath)).to.deep.equal([true, true, true]);
    expect(['w.bin', 'data/x.txt', 'n.ipynb', 'package-lock.json', 'img.png'].map(isReviewablePath)).to.deep.equal([false, false, false, false, false]);
  });
});
