import { expect } from 'chai';
import { Readable } from 'node:stream';
import type { ArtifactRecord, SourceSnapshot, StoredBundle } from '../../../src/domain/artifact';
import { ErrorCode } from '../../../src/domain/errors';
import { FindHubRepository, hubCommitOf, hubRepoIdOf, OpenHubFile } from '../../../src/application/hub-repository';
import { DownloadGuard } from '../../../src/application/sensitivity.use-cases';
import type { ByteRange } from '../../../src/ports/blob-store.port';
import type { HookRunner } from '../../../src/ports/hook-runner.port';
import type { StoredPackageReader } from '../../../src/ports/stored-package.port';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, ratingServiceFor, reader, useCaseFixture } from '../../support/use-case-fixture';

const COMMIT = 'a'.repeat(40);
const mirrorOf = (repo: string, commit?: string): SourceSnapshot => ({
  hub: 'huggingface', repo, revision: 'main', fetchedAt: '2026-02-01T00:00:00.000Z', info: {},
  files: [{ path: 'config.json', size: 10, sha256: 'c'.repeat(64) }], tags: [], ...(commit === undefined ? {} : { commit }),
});
const noHooks: HookRunner = { run: () => Promise.reject(new Error('no model here is sensitive')) };

/** Package contents by path; `digestFile` counts how often it was asked, as the real reader hashes the file each time. */
class MemoryPackageReader implements StoredPackageReader {
  digests = 0;
  readonly opened: (ByteRange | undefined)[] = [];
  constructor(private readonly files: Record<string, string>) {}
  async openFile(_bundle: StoredBundle, path: string, range?: ByteRange): Promise<Readable | undefined> {
    this.opened.push(range);
    const text = this.files[path];
    return text === undefined ? undefined : Readable.from([Buffer.from(text)]);
  }
  async digestFile(_bundle: StoredBundle, path: string): Promise<string | undefined> {
    this.digests += 1;
    return this.files[path] === undefined ? undefined : `digest-of-${path}`;
  }
}

async function registry(records: ArtifactRecord[], options = { trustedOnly: false, minScore: 0.5 }) {
  const f = useCaseFixture();
  for (const record of records) await f.repository.create(record);
  return { f, find: new FindHubRepository(f.repository, ratingServiceFor(f), options) };
}

describe('FindHubRepository', () => {
  it('when an upload is asked for under the registry namespace, by name or by id, then the newest of that name answers main', async () => {
    const { find } = await registry([aRecord({ id: 'A1', name: 'tiny', version: '1.0.0' }), aRecord({ id: 'A2', name: 'tiny', version: '2.0.0' })]);

    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny' })).record.id).to.equal('A2');
    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', revision: 'main' })).record.id).to.equal('A2');
    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/A1' })).record.id).to.equal('A1');
  });

  it('when a version or a commit is the revision, then that exact artifact answers; an unknown one is RevisionNotFound', async () => {
    const first = aRecord({ id: 'A1', name: 'tiny', version: '1.0.0' });
    const { find } = await registry([first, aRecord({ id: 'A2', name: 'tiny', version: '2.0.0' })]);

    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', revision: 'v1.0.0' })).record.id).to.equal('A1');
    const commit = hubCommitOf(first as ArtifactRecord & { package: NonNullable<ArtifactRecord['package']> });
    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', revision: commit.toUpperCase() })).record.id).to.equal('A1');
    const miss = await expectRejection(find.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', revision: '3.0.0' }), ErrorCode.ArtifactNotFound);
    expect(miss.details).to.deep.equal({ hub_error: 'RevisionNotFound' });
  });

  it('when a Hugging Face repository id is asked for, then its mirror answers with the mirrored commit; uploads of that name do not', async () => {
    const mirror = aRecord({ id: 'A1', name: 'bert-base-uncased', origin: mirrorOf('google-bert/bert-base-uncased', COMMIT) });
    const { find } = await registry([mirror, aRecord({ id: 'A2', name: 'bert-base-uncased' })]);

    const found = await find.execute({ actor: reader, kind: 'model', repoId: 'Google-BERT/bert-base-uncased' });

    expect(found.record.id).to.equal('A1');
    expect(found.commit).to.equal(COMMIT);
    expect(hubRepoIdOf(mirror)).to.equal('google-bert/bert-base-uncased');
    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/bert-base-uncased' })).record.id).to.equal('A2');
  });

  it('when the repository is unknown, of another kind, malformed or only an external reference, then RepoNotFound', async () => {
    const { package: _none, ...external } = aRecord({ id: 'A3', name: 'linked' });
    const { find } = await registry([aRecord({ id: 'A1', name: 'tiny' }), external]);

    for (const [kind, repoId] of [['model', 'registry/nothing'], ['dataset', 'registry/tiny'], ['model', 'a/b/c'], ['model', 'registry/../etc'], ['model', 'registry/linked']] as const) {
      const miss = await expectRejection(find.execute({ actor: reader, kind, repoId }), ErrorCode.ArtifactNotFound);
      expect(miss.details, repoId).to.deep.equal({ hub_error: 'RepoNotFound' });
    }
  });

  it('when only trusted models are served, then a model below the bar or never rated is not found, one above it is', async () => {
    const trust = (meetsBar: boolean) => ({ meetsBar, threshold: 0.5, failing: [], skipped: [] });
    const { find } = await registry(
      [aRecord({ id: 'A1', name: 'good', trust: trust(true) }), aRecord({ id: 'A2', name: 'bad', trust: trust(false) }), aRecord({ id: 'A3', name: 'unrated' })],
      { trustedOnly: true, minScore: 0.5 },
    );

    expect((await find.execute({ actor: reader, kind: 'model', repoId: 'registry/good' })).record.id).to.equal('A1');
    await expectRejection(find.execute({ actor: reader, kind: 'model', repoId: 'registry/bad' }), ErrorCode.ArtifactNotFound);
    await expectRejection(find.execute({ actor: reader, kind: 'model', repoId: 'registry/unrated' }), ErrorCode.ArtifactNotFound);
  });

  it('when the caller may not search, then AUTH.FORBIDDEN', async () => {
    const { find } = await registry([aRecord({ id: 'A1', name: 'tiny' })]);

    await expectRejection(find.execute({ actor: { name: 'nobody', isAdmin: false, permissions: [] }, kind: 'model', repoId: 'registry/tiny' }), ErrorCode.Forbidden);
  });
});

describe('OpenHubFile', () => {
  async function hub(records: ArtifactRecord[], files: Record<string, string>) {
    const { f, find } = await registry(records);
    const packages = new MemoryPackageReader(files);
    return { f, packages, open: new OpenHubFile(find, packages, new DownloadGuard(noHooks, f.audit, f.clock)) };
  }

  it('when a file without a recorded digest is opened twice, then it is hashed once; a full read is audited, the size probe is not', async () => {
    const { f, packages, open } = await hub([aRecord({ id: 'A1', name: 'tiny' })], { 'model.safetensors': 'weights' });

    const file = await open.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', path: 'model.safetensors' });
    await open.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', path: 'model.safetensors' });

    expect(file.sha256).to.equal('digest-of-model.safetensors');
    expect(packages.digests).to.equal(1);
    await file.open({ start: 0, end: 0 });
    expect(await f.audit.forArtifact('A1', 10)).to.deep.equal([]);
    const content = await file.open();
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString()).to.equal('weights');
    expect((await f.audit.forArtifact('A1', 10)).map((entry) => [entry.action, entry.detail])).to.deep.equal([['DOWNLOAD', 'file model.safetensors']]);
  });

  it('when the source declared the digest, then the package is not hashed', async () => {
    const mirror = aRecord({ id: 'A1', name: 'bert', origin: mirrorOf('google-bert/bert'), package: { ...aRecord({ id: 'A1' }).package!, files: [{ path: 'config.json', size: 10, part: 'docs' }] } });
    const { packages, open } = await hub([mirror], { 'config.json': '{}' });

    const file = await open.execute({ actor: reader, kind: 'model', repoId: 'google-bert/bert', path: 'config.json' });

    expect(file.sha256).to.equal('c'.repeat(64));
    expect(packages.digests).to.equal(0);
  });

  it('when the path is not in the package, or the stored package lacks it, then EntryNotFound', async () => {
    const { open } = await hub([aRecord({ id: 'A1', name: 'tiny' })], {});

    const listed = await expectRejection(open.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', path: 'nope.bin' }), ErrorCode.ArtifactNotFound);
    expect(listed.details).to.deep.equal({ hub_error: 'EntryNotFound' });
    const stored = await expectRejection(open.execute({ actor: reader, kind: 'model', repoId: 'registry/tiny', path: 'README.md' }), ErrorCode.ArtifactNotFound);
    expect(stored.details).to.deep.equal({ hub_error: 'EntryNotFound' });
  });
});
