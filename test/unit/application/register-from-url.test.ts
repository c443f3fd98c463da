import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { SourceFile } from '../../../src/domain/artifact';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import type { CodeHistory } from '../../../src/domain/rating/collect';
import { RegisterFromUrl, type RegistrationGate } from '../../../src/application/register-from-url.use-case';
import { SourceIngest } from '../../../src/application/source-ingest';
import type { CodeHost, CodeRepoInfo, HubRepoInfo, HubRepoRef, ModelHub, StagedPackage } from '../../../src/ports/source-hubs.port';
import { expectRejection } from '../../support/zip-builder';
import { admin, ratingServiceFor, reader, useCaseFixture, type FakePackageArchive } from '../../support/use-case-fixture';

/** A hub whose repositories live in memory; staging registers a package with the fake archive. */
class MemoryModelHub implements ModelHub {
  readonly staged: string[] = [];
  readonly disposed: string[] = [];
  readonly calls: string[] = [];
  failStage?: DomainError;
  constructor(
    private readonly archive: FakePackageArchive,
    readonly repos: Map<string, { files: SourceFile[]; tags: string[]; readme?: string }>,
  ) {}

  async info(ref: HubRepoRef): Promise<HubRepoInfo> {
    this.calls.push(`info ${ref.repo}@${ref.revision}`);
    if (!this.repos.has(ref.repo)) throw new DomainError(ErrorCode.SourceNotFound, `no ${ref.repo}`);
    return { commit: 'c0ffee', gated: false, info: { downloads: 10, likes: 2 } };
  }
  async listFiles(ref: HubRepoRef): Promise<SourceFile[]> {
    this.calls.push(`files ${ref.repo}@${ref.revision}`);
    return this.repos.get(ref.repo)?.files ?? [];
  }
  async listTags(ref: HubRepoRef): Promise<string[]> {
    return this.repos.get(ref.repo)?.tags ?? [];
  }
  async readText(ref: HubRepoRef, path: string): Promise<string | undefined> {
    return path === 'README.md' ? this.repos.get(ref.repo)?.readme : undefined;
  }
  async stage(ref: HubRepoRef, files: readonly SourceFile[]): Promise<StagedPackage> {
    this.calls.push(`stage ${ref.repo}@${ref.revision}`);
    if (this.failStage !== undefined) throw this.failStage;
    const path = `staged-${ref.repo}-${this.staged.length}.zip`;
    this.archive.add(path, files.map((file) => file.path), this.repos.get(ref.repo)?.readme);
    this.staged.push(path);
    return { path, size: 1, dispose: async () => void this.disposed.push(path) };
  }
}

class MemoryCodeHost implements CodeHost {
  constructor(private readonly archive: FakePackageArchive) {}
  async repository(repo: string): Promise<CodeRepoInfo> {
    if (repo !== 'openai/whisper') throw new DomainError(ErrorCode.SourceNotFound, `no ${repo}`);
    return { defaultBranch: 'main', commit: 'abc123', info: { stargazers_count: 70000, license: { spdx_id: 'MIT' } } };
  }
  async listTags(): Promise<string[]> {
    return ['v20231117', 'v1.0.0', '1.1.0', 'nightly'];
  }
  async readme(): Promise<string | undefined> {
    return '# Whisper\n';
  }
  async history(): Promise<CodeHistory> {
    return { contributors: [{ login: 'jongwook', contributions: 120 }], commits: [], pullRequests: [] };
  }
  async resolveRef(repo: string, ref: string): Promise<string> {
    if (ref === 'main') return 'abc123';
    throw new DomainError(ErrorCode.SourceNotFound, `${repo} has no ${ref}`);
  }
  async stageDirectory(repo: string, ref: string, path: string): Promise<StagedPackage> {
    const zip = `${repo}@${ref}:${path}.zip`;
    this.archive.add(zip, ['README.md', 'train.py']);
    return { path: zip, size: 1, dispose: async () => undefined };
  }
  async stage(repo: string, ref: string): Promise<StagedPackage> {
    const path = `${repo}@${ref}.zip`;
    this.archive.add(path, ['README.md', 'whisper/__init__.py', 'setup.py']);
    return { path, size: 1, dispose: async () => undefined };
  }
}

describe('RegisterFromUrl', () => {
  const MAX = 10_000;
  const setup = (minScore = 0, gate: RegistrationGate = 'flag') => {
    const f = useCaseFixture();
    const hub = new MemoryModelHub(f.archive, new Map([
      ['google-bert/bert-base-uncased', { files: [{ path: 'README.md', size: 100 }, { path: 'config.json', size: 50 }, { path: 'model.safetensors', size: 4000, sha256: 'a'.repeat(64) }], tags: ['v1.0.0', 'v1.2.0', 'release'], readme: '# BERT\n' }],
      ['huge/model', { files: [{ path: 'model.safetensors', size: MAX + 1 }], tags: [] }],
    ]));
    const code = new MemoryCodeHost(f.archive);
    const ingest = new SourceIngest(hub, code, f.intake, f.clock, MAX);
    const ratings = ratingServiceFor(f, { hub, code, minScore });
    return { ...f, hub, register: new RegisterFromUrl(ingest, f.intake, f.repository, f.audit, f.ids, f.clock, ratings, gate) };
  };

  it('when a Hugging Face model is registered, then it is mirrored at the pinned commit with its evidence and tag versions', async () => {
    const s = setup();
    const url = 'https://huggingface.co/google-bert/bert-base-uncased';
    const record = await s.register.execute({ actor: admin, type: 'model', url });
    expect(record.name).to.equal('bert-base-uncased');
    expect(record.source).to.deep.equal({ kind: 'url', url });
    expect(record.version).to.equal('1.2.0');
    expect(record.versions).to.deep.equal(['1.2.0', '1.0.0']);
    expect(record.origin).to.deep.include({ hub: 'huggingface', repo: 'google-bert/bert-base-uncased', revision: 'main', commit: 'c0ffee' });
    expect(record.origin?.files).to.have.length(3);
    expect(record.card?.text).to.equal('# BERT\n');
    expect(s.hub.calls).to.deep.equal([
      'info google-bert/bert-base-uncased@main',
      'files google-bert/bert-base-uncased@c0ffee',
      'stage google-bert/bert-base-uncased@c0ffee',
    ]);
    expect(s.hub.disposed).to.deep.equal(s.hub.staged);
    expect((await s.audit.forArtifact(record.id, 5)).map((e) => [e.action, e.detail])).to.deep.equal([['CREATE', url]]);
  });

  it('when a model rates below the bar on the vetting path, then RATING.BELOW_THRESHOLD names each failing metric and nothing is stored', async () => {
    const s = setup(0.99);
    const error = await expectRejection(
      s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased', vetting: true }),
      ErrorCode.RatingBelowThreshold,
    );
    const failing = (error.details?.failing ?? []) as { metric: string; value: number }[];
    expect(failing.length).to.be.greaterThan(0);
    for (const { metric, value } of failing) expect(error.message).to.contain(`${metric} ${value}`);
    expect(await s.repository.count()).to.equal(0);
    expect(await s.blobs.head(createHash('sha256').update(`zip:${s.hub.staged[0]}`).digest('hex'))).to.equal(undefined);
  });

  it('when a model rates below the bar on plain registration, then it is stored and flagged with each failing metric', async () => {
    const s = setup(0.99);
    const record = await s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased' });
    expect(record.trust?.meetsBar).to.equal(false);
    expect(record.trust?.threshold).to.equal(0.99);
    expect(record.trust?.failing.length).to.be.greaterThan(0);
    expect(record.trust?.failing.map((f) => f.metric)).to.include('net_score');
    expect((await s.repository.get(record.id))?.trust).to.deep.equal(record.trust);
  });

  it('when the registration gate is enforced, then plain registration of a public model below the bar is refused too', async () => {
    const s = setup(0.99, 'enforce');
    await expectRejection(s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased' }), ErrorCode.RatingBelowThreshold);
    expect(await s.repository.count()).to.equal(0);
  });

  it('when a model meets the bar, then its verdict says so and nothing fails', async () => {
    const s = setup(0);
    const record = await s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased', vetting: true });
    expect(record.trust).to.deep.include({ meetsBar: true, threshold: 0, failing: [] });
  });

  it('when a name is given, then it wins over the URL; an invalid one is refused before any request', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased', name: 'my-bert' });
    expect(record.name).to.equal('my-bert');
    await expectRejection(s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper', name: '*' }), ErrorCode.InvalidInput);
    expect(await s.repository.count()).to.equal(1);
  });

  it('when a GitHub directory at a ref is registered, then only that directory at the resolved commit is mirrored', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper/tree/main/whisper' });
    expect(record.name).to.equal('whisper');
    expect(record.origin).to.deep.include({ hub: 'github', revision: 'main', commit: 'abc123', path: 'whisper' });
    expect(record.package?.files.map((f) => f.path)).to.deep.equal(['README.md', 'train.py']);
    await expectRejection(s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper/tree/no-such-branch' }), ErrorCode.SourceNotFound);
  });

  it('when a Kaggle dataset is registered without credentials, then it is an external reference and nothing is fetched', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'dataset', url: 'https://www.kaggle.com/datasets/hliang001/flickr2k' });
    expect(record).to.deep.include({ name: 'flickr2k', type: 'dataset' });
    expect(record.package).to.equal(undefined);
    expect(record.reference?.page).to.equal('https://www.kaggle.com/datasets/hliang001/flickr2k');
    expect(record.reference?.reason).to.contain('KAGGLE_USERNAME');
    expect(s.hub.calls).to.deep.equal([]);
  });

  it('when a model is registered, then its evidence and rating are stored with it', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased' });
    expect(record.assessment?.evidence.origin).to.equal('huggingface');
    expect(record.assessment?.evidence.files).to.have.length(3);
    expect(record.assessment?.rating.name).to.equal('bert-base-uncased');
    expect(record.assessment?.rating.net_score).to.be.within(0, 1);
    expect(record.assessment?.collectionSeconds.ramp_up_time).to.be.at.least(0);
  });

  it('when a GitHub repository is registered as code, then it is not rated', async () => {
    const s = setup(0.99);
    const record = await s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper' });
    expect(record.assessment).to.equal(undefined);
  });

  it('when the source is larger than the limit, then SOURCE.TOO_LARGE before anything is downloaded', async () => {
    const s = setup();
    const error = await expectRejection(s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/huge/model' }), ErrorCode.SourceTooLarge);
    expect(error.message).to.contain('TMR_MAX_INGEST_BYTES');
    expect(s.hub.calls.some((call) => call.startsWith('stage'))).to.equal(false);
    expect(await s.repository.count()).to.equal(0);
  });

  it('when the source does not exist, then SOURCE.NOT_FOUND and nothing is stored', async () => {
    const s = setup();
    await expectRejection(s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/nobody/nothing' }), ErrorCode.SourceNotFound);
    expect(await s.repository.count()).to.equal(0);
  });

  it('when mirroring fails midway, then no record exists', async () => {
    const s = setup();
    s.hub.failStage = new DomainError(ErrorCode.SourceIntegrity, 'hash mismatch');
    await expectRejection(s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased' }), ErrorCode.SourceIntegrity);
    expect(await s.repository.count()).to.equal(0);
  });

  it('when a hostile URL is given, then SOURCE.UNSUPPORTED and the hubs are never asked', async () => {
    const s = setup();
    await expectRejection(s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co.evil.com/a/b' }), ErrorCode.UnsupportedSource);
    expect(s.hub.calls).to.deep.equal([]);
  });

  it('when the user may not upload, then nothing is fetched', async () => {
    const s = setup();
    await expectRejection(s.register.execute({ actor: reader, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased' }), ErrorCode.Forbidden);
    expect(s.hub.calls).to.deep.equal([]);
  });

  it('when a GitHub repository is registered as code, then its default-branch commit is mirrored and only version-shaped tags count', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper' });
    expect(record).to.deep.include({ name: 'whisper', type: 'code', version: '1.1.0', versions: ['1.1.0', '1.0.0'] });
    expect(record.origin).to.deep.include({ hub: 'github', revision: 'main', commit: 'abc123' });
    expect(record.origin?.files.map((f) => f.path)).to.deep.equal(['README.md', 'whisper/__init__.py', 'setup.py']);
  });

  it('when the same source is registered twice, then ARTIFACT.CONFLICT carries the existing id and nothing is fetched again', async () => {
    const s = setup();
    const a = await s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased' });
    const calls = s.hub.calls.length;
    const error = await expectRejection(s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/Google-BERT/bert-base-uncased/', name: 'other' }), ErrorCode.ArtifactConflict);
    expect(error.details).to.deep.include({ id: a.id });
    expect(s.hub.calls.length).to.equal(calls);
    const atRevision = await s.register.execute({ actor: admin, type: 'model', url: 'https://huggingface.co/google-bert/bert-base-uncased/tree/v1.0.0' });
    expect(atRevision.id).not.to.equal(a.id);
  });

  it('when an artifact is re-ingested from a URL, then the record keeps its id, name and creator and the old content is released', async () => {
    const s = setup();
    const original = await s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper' });
    const updated = await s.register.execute({
      actor: { ...admin, name: 'other-admin' }, type: 'code', url: 'https://github.com/openai/whisper', replacing: { id: original.id, name: 'whisper' },
    });
    expect(updated).to.deep.include({ id: original.id, name: 'whisper', createdBy: 'admin', revision: 2 });
    expect((await s.audit.forArtifact(original.id, 5)).map((e) => e.action)).to.deep.equal(['CREATE', 'UPDATE']);
    await expectRejection(
      s.register.execute({ actor: admin, type: 'code', url: 'https://github.com/openai/whisper', replacing: { id: original.id, name: 'not-whisper' } }),
      ErrorCode.InvalidInput,
    );
  });
});

describe('RegisterFromUrl when the audit trail refuses the entry', () => {
  it('when the CREATE or UPDATE entry is refused, then the registration or re-ingest is undone and its content released', async () => {
    const f = useCaseFixture();
    const hub = new MemoryModelHub(f.archive, new Map([
      ['google-bert/bert-base-uncased', { files: [{ path: 'README.md', size: 100 }, { path: 'model.safetensors', size: 400 }], tags: ['v1.0.0'], readme: '# BERT\n' }],
    ]));
    const code = new MemoryCodeHost(f.archive);
    const register = new RegisterFromUrl(new SourceIngest(hub, code, f.intake, f.clock, 10_000), f.intake, f.repository, f.audit, f.ids, f.clock, ratingServiceFor(f, { hub, code }));
    const append = f.audit.append.bind(f.audit);
    let refuse = true;
    f.audit.append = async (entry) => {
      if (refuse) throw new DomainError(ErrorCode.StorageUnavailable, 'storage is unreachable: TimeoutError');
      await append(entry);
    };
    const url = 'https://huggingface.co/google-bert/bert-base-uncased';
    await expectRejection(register.execute({ actor: admin, type: 'model', url }), ErrorCode.StorageUnavailable);
    expect(await f.repository.count()).to.equal(0);
    refuse = false;
    const record = await register.execute({ actor: admin, type: 'model', url });
    refuse = true;
    await expectRejection(register.execute({ actor: admin, type: 'model', url, replacing: { id: record.id, name: record.name } }), ErrorCode.StorageUnavailable);
    const after = await f.repository.get(record.id);
    expect(after?.package).to.deep.equal(record.package);
    expect(after?.revision).to.equal(record.revision + 2);
    expect((await f.audit.forArtifact(record.id, 5)).map((entry) => entry.action)).to.deep.equal(['CREATE']);
  });
});
