import { expect } from 'chai';
import { ErrorCode } from '../../../src/domain/errors';
import { GitHubCodeHost } from '../../../src/adapters/github/github-code-host';
import { KaggleDatasetHost } from '../../../src/adapters/kaggle/kaggle-dataset-host';
import { ZipPackageArchive } from '../../../src/adapters/archive/zip-package-archive';
import { DEFAULT_PACKAGE_LIMITS } from '../../../src/domain/package-policy';
import { KAGGLE_CREDENTIALS, startFakeUpstream, type FakeUpstream } from '../../support/fake-upstream/server';
import { expectRejection } from '../../support/zip-builder';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('GitHubCodeHost refs and directories, and KaggleDatasetHost, against the fake upstream', () => {
  let fake: FakeUpstream;
  const github = () => new GitHubCodeHost({ apiUrl: fake.githubUrl, timeoutMs: 2000, retries: 1, logger: silent });
  const kaggle = (key: string = KAGGLE_CREDENTIALS.key) =>
    new KaggleDatasetHost({ apiUrl: fake.kaggleUrl, username: KAGGLE_CREDENTIALS.username, key, timeoutMs: 2000, retries: 1, logger: silent });
  const pathsIn = async (zip: string): Promise<string[]> => (await new ZipPackageArchive().inspect(zip, DEFAULT_PACKAGE_LIMITS)).files.map((f) => f.path).sort();

  before(async () => {
    fake = await startFakeUpstream();
  });
  after(() => fake.close());
  afterEach(() => fake.reset());

  it('when a branch, a tag or a commit is resolved, then each gives the commit it names; an unknown ref is SOURCE.NOT_FOUND', async () => {
    const whisper = fake.fixtures.githubRepos.get('openai/whisper');
    const head = whisper?.commits[0]?.sha ?? '';
    const tag = whisper?.tags[0];
    expect(await github().resolveRef('openai/whisper', 'main')).to.equal(head);
    expect(await github().resolveRef('openai/whisper', tag?.name ?? '')).to.equal(tag?.sha);
    expect(await github().resolveRef('openai/whisper', head)).to.equal(head);
    const error = await expectRejection(github().resolveRef('openai/whisper', 'no-such-branch'), ErrorCode.SourceNotFound);
    expect(error.message).to.contain('no-such-branch');
  });

  it('when one directory is staged, then only its files arrive, at the top of the zip', async () => {
    const staged = await github().stageDirectory('huggingface/transformers-research-projects', 'main', 'distillation', 10 * 1024 * 1024);
    try {
      expect(await pathsIn(staged.path)).to.deep.equal(['README.md', 'distiller.py', 'requirements.txt', 'train.py', 'training_configs/distilbert-base-uncased.json']);
    } finally {
      await staged.dispose();
    }
  });

  it('when the directory does not exist at that ref, then SOURCE.NOT_FOUND names it', async () => {
    const error = await expectRejection(github().stageDirectory('huggingface/transformers-research-projects', 'main', 'no-such-dir', 10 * 1024 * 1024), ErrorCode.SourceNotFound);
    expect(error.message).to.contain('no-such-dir/');
  });

  it('when a Kaggle dataset is described and staged, then metadata and the owner\'s file layout arrive, with basic authentication', async () => {
    const info = await kaggle().info('hliang001/flickr2k');
    expect(info.version).to.equal(1);
    expect(info.totalBytes).to.be.greaterThan(0);
    expect(info.info).to.include({ ref: 'hliang001/flickr2k', licenseName: 'Unknown', title: 'Flickr2K' });
    const staged = await kaggle().stage('hliang001/flickr2k', info.version, 10 * 1024 * 1024);
    try {
      expect(await pathsIn(staged.path)).to.deep.equal(['Flickr2K/Flickr2K_HR/000001.png', 'Flickr2K/Flickr2K_HR/000002.png', 'Flickr2K/Flickr2K_LR_bicubic/X2/000001x2.png']);
    } finally {
      await staged.dispose();
    }
    expect(fake.requests.every((request) => request.headers.authorization?.startsWith('Basic '))).to.equal(true);
  });

  it('when Kaggle refuses the key, names an unknown dataset or sends more than the limit, then ACCESS_DENIED, NOT_FOUND and TOO_LARGE', async () => {
    await expectRejection(kaggle('wrong').info('hliang001/flickr2k'), ErrorCode.SourceAccessDenied);
    await expectRejection(kaggle().info('nobody/nothing'), ErrorCode.SourceNotFound);
    await expectRejection(kaggle().stage('hliang001/flickr2k', 1, 1024), ErrorCode.SourceTooLarge);
  });
});
