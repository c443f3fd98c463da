import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { ErrorCode } from '../../../src/domain/errors';
import { RegisterPackage } from '../../../src/application/register-package.use-case';
import { ReplacePackage } from '../../../src/application/replace-package.use-case';
import { DeleteArtifact } from '../../../src/application/delete-artifact.use-case';
import { expectRejection } from '../../support/zip-builder';
import { admin, ratingServiceFor, reader, uploader, useCaseFixture } from '../../support/use-case-fixture';
import { packageOf } from '../../support/records';

const fullBlobOf = (zipPath: string): string => createHash('sha256').update(`zip:${zipPath}`).digest('hex');

describe('RegisterPackage and ReplacePackage', () => {
  const setup = () => {
    const f = useCaseFixture();
    return {
      ...f,
      register: new RegisterPackage(f.intake, f.repository, f.audit, f.ids, f.clock, ratingServiceFor(f)),
      replace: new ReplacePackage(f.intake, f.repository, f.audit, f.clock, ratingServiceFor(f)),
      remove: new DeleteArtifact(f.repository, f.intake, f.audit, f.clock),
    };
  };
  const HF_FILES = ['README.md', 'config.json', 'tokenizer.json', 'model.safetensors', 'data/train.csv'];

  it('when a package is registered, then the record lists its parts and one CREATE is audited', async () => {
    const s = setup();
    const zip = s.archive.add('bert.zip', HF_FILES, '# BERT base\n');
    const record = await s.register.execute({ actor: uploader, type: 'model', zipPath: zip, version: 'v1.0.0' });
    expect(record.name).to.equal('BERT base');
    expect(record.version).to.equal('1.0.0');
    expect(Object.keys(packageOf(record).parts).sort()).to.deep.equal(['code', 'datasets', 'docs', 'weights']);
    expect(packageOf(record).full.fileCount).to.equal(5);
    expect(await s.repository.get(record.id)).to.deep.equal(record);
    const trail = await s.audit.forArtifact(record.id, 10);
    expect(trail.map((e) => [e.action, e.user.name])).to.deep.equal([['CREATE', 'uploader']]);
    expect(await s.guard.isLeased(packageOf(record).full.sha256)).to.equal(false);
  });

  it('when the user may not upload, then nothing is inspected or stored', async () => {
    const s = setup();
    const zip = s.archive.add('x.zip', HF_FILES);
    await expectRejection(s.register.execute({ actor: reader, type: 'model', zipPath: zip, name: 'x' }), ErrorCode.Forbidden);
    expect(await s.blobs.head(fullBlobOf('x.zip'))).to.equal(undefined);
    expect(await s.repository.count()).to.equal(0);
  });

  it('when saving the record fails, then every blob this upload created is removed', async () => {
    const s = setup();
    const zip = s.archive.add('fails.zip', HF_FILES);
    s.repository.create = async () => {
      throw new Error('disk full');
    };
    let stored: string[] = [];
    const put = s.blobs.put.bind(s.blobs);
    s.blobs.put = async (content, expected) => {
      const blob = await put(content, expected);
      stored = [...stored, blob.sha256];
      return blob;
    };
    let failed = false;
    await s.register.execute({ actor: admin, type: 'model', zipPath: zip, name: 'x' }).catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(stored).to.have.length(5);
    for (const sha of stored) expect(await s.blobs.head(sha)).to.equal(undefined);
  });

  it('when saving fails but another artifact shares the content, then the shared blobs stay', async () => {
    const s = setup();
    const zip = s.archive.add('shared.zip', HF_FILES);
    const first = await s.register.execute({ actor: admin, type: 'model', zipPath: zip, name: 'first' });
    s.repository.create = async () => {
      throw new Error('disk full');
    };
    await s.register.execute({ actor: admin, type: 'model', zipPath: zip, name: 'second' }).catch(() => undefined);
    expect(await s.blobs.head(packageOf(first).full.sha256)).to.be.a('number');
  });

  it('when the card gives no name and none is passed, then REQUEST.INVALID and nothing remains', async () => {
    const s = setup();
    const zip = s.archive.add('nameless.zip', ['model.safetensors']);
    await expectRejection(s.register.execute({ actor: admin, type: 'model', zipPath: zip }), ErrorCode.InvalidInput);
    expect(await s.repository.count()).to.equal(0);
    expect(await s.blobs.head(fullBlobOf('nameless.zip'))).to.equal(undefined);
  });

  it('when a package is replaced, then the revision advances, old content is released and UPDATE is audited', async () => {
    const s = setup();
    const first = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('v1.zip', HF_FILES), name: 'm', version: '1.0.0' });
    const next = await s.replace.execute({ actor: admin, type: 'model', id: first.id, name: 'm', zipPath: s.archive.add('v2.zip', ['model.safetensors']) });
    expect(next.revision).to.equal(2);
    expect(next.version).to.equal('1.0.0');
    expect(Object.keys(packageOf(next).parts)).to.deep.equal(['weights']);
    expect(await s.blobs.head(packageOf(first).full.sha256)).to.equal(undefined);
    expect((await s.audit.forArtifact(first.id, 10)).map((e) => e.action)).to.deep.equal(['CREATE', 'UPDATE']);
  });

  it('when two replacements race, then one wins, the other gets ARTIFACT.CONFLICT, and the loser leaves no blobs', async () => {
    const s = setup();
    const first = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('base.zip', HF_FILES), name: 'm' });
    const results = await Promise.allSettled([
      s.replace.execute({ actor: admin, type: 'model', id: first.id, zipPath: s.archive.add('a.zip', ['a.safetensors']) }),
      s.replace.execute({ actor: admin, type: 'model', id: first.id, zipPath: s.archive.add('b.zip', ['b.safetensors']) }),
    ]);
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected).to.have.length(1);
    expect(rejected[0]?.reason.code).to.equal(ErrorCode.ArtifactConflict);
    const stored = await s.repository.get(first.id);
    expect(stored?.revision).to.equal(2);
    const loser = stored?.package?.files[0]?.path === 'a.safetensors' ? 'b.zip' : 'a.zip';
    const winner = loser === 'a.zip' ? 'b.zip' : 'a.zip';
    expect(await s.blobs.head(fullBlobOf(loser))).to.equal(undefined);
    expect(await s.blobs.head(fullBlobOf(winner))).to.be.a('number');
  });

  it('when the name does not match, then REQUEST.INVALID before any content is read', async () => {
    const s = setup();
    const first = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('v1.zip', HF_FILES), name: 'm' });
    s.archive.packages.set('never.zip', { files: [], failInspect: new Error('must not be read') });
    await expectRejection(s.replace.execute({ actor: admin, type: 'model', id: first.id, name: 'other', zipPath: 'never.zip' }), ErrorCode.InvalidInput);
  });

  it('when a non-admin deletes an artifact they did not upload, then AUTH.FORBIDDEN; the uploader may', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: uploader, type: 'model', zipPath: s.archive.add('u.zip', HF_FILES), name: 'u' });
    await expectRejection(s.remove.execute({ actor: { ...uploader, name: 'someone' }, type: 'model', id: record.id }), ErrorCode.Forbidden);
    await s.remove.execute({ actor: uploader, type: 'model', id: record.id });
    expect(await s.repository.get(record.id)).to.equal(undefined);
    await expectRejection(s.remove.execute({ actor: admin, type: 'model', id: record.id }), ErrorCode.ArtifactNotFound);
    const trail = await s.audit.forArtifact(record.id, 10);
    expect(trail.map((e) => [e.action, e.user.name])).to.deep.equal([['CREATE', 'uploader'], ['DELETE', 'uploader']]);
  });

  it('when a non-admin replaces an artifact they did not upload, then AUTH.FORBIDDEN before any content is read', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: uploader, type: 'model', zipPath: s.archive.add('u.zip', HF_FILES), name: 'u' });
    s.archive.packages.set('never.zip', { files: [], failInspect: new Error('must not be read') });
    await expectRejection(s.replace.execute({ actor: { ...uploader, name: 'someone' }, type: 'model', id: record.id, zipPath: 'never.zip' }), ErrorCode.Forbidden);
    expect((await s.repository.get(record.id))?.revision).to.equal(record.revision);
  });
});
