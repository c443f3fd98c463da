import { expect } from 'chai';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { blobsOf } from '../../../src/domain/artifact';
import { DomainError, ErrorCode } from '../../../src/domain/errors';
import { DeleteArtifact } from '../../../src/application/delete-artifact.use-case';
import { DownloadPackage } from '../../../src/application/download-package.use-case';
import { RegisterPackage } from '../../../src/application/register-package.use-case';
import { ReplacePackage } from '../../../src/application/replace-package.use-case';
import { DownloadGuard } from '../../../src/application/sensitivity.use-cases';
import { EvidenceCollector } from '../../../src/application/evidence-collector';
import { LineageService } from '../../../src/application/lineage-service';
import { expectRejection } from '../../support/zip-builder';
import { admin, ratingServiceFor, unreachableCodeHost, unreachableHub, useCaseFixture } from '../../support/use-case-fixture';

const fullBlobOf = (zipPath: string): string => createHash('sha256').update(`zip:${zipPath}`).digest('hex');
const unreachable = (): DomainError => new DomainError(ErrorCode.StorageUnavailable, 'storage is unreachable: SlowDown');

/** Faults found by the port fault sweeps (test/api/faults-*.api.test.ts), pinned one by one. */
describe('when the audit trail or the store refuses the last step of a change', () => {
  const HF_FILES = ['README.md', 'config.json', 'model.safetensors'];
  const setup = () => {
    const f = useCaseFixture();
    const append = f.audit.append.bind(f.audit);
    let refuse = false;
    f.audit.append = async (entry) => {
      if (refuse) throw unreachable();
      await append(entry);
    };
    return {
      ...f,
      refuseAudit: (value: boolean) => {
        refuse = value;
      },
      register: new RegisterPackage(f.intake, f.repository, f.audit, f.ids, f.clock, ratingServiceFor(f)),
      replace: new ReplacePackage(f.intake, f.repository, f.audit, f.clock, ratingServiceFor(f)),
      remove: new DeleteArtifact(f.repository, f.intake, f.audit, f.clock),
    };
  };

  it('when the CREATE entry is refused, then the error is answered, no record remains and the blobs it stored are gone', async () => {
    const s = setup();
    s.refuseAudit(true);
    await expectRejection(s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('a.zip', HF_FILES), name: 'a' }), ErrorCode.StorageUnavailable);
    expect(await s.repository.count()).to.equal(0);
    expect(await s.blobs.head(fullBlobOf('a.zip'))).to.equal(undefined);
    s.refuseAudit(false);
    const again = await s.register.execute({ actor: admin, type: 'model', zipPath: 'a.zip', name: 'a' });
    expect(await s.audit.forArtifact(again.id, 5)).to.have.length(1);
  });

  it('when the UPDATE entry is refused, then the record is back on its old package (at a newer revision) and the new blobs are gone', async () => {
    const s = setup();
    const before = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('old.zip', HF_FILES), name: 'r' });
    s.refuseAudit(true);
    await expectRejection(s.replace.execute({ actor: admin, type: 'model', id: before.id, zipPath: s.archive.add('new.zip', HF_FILES) }), ErrorCode.StorageUnavailable);
    const after = await s.repository.get(before.id);
    expect(after?.package).to.deep.equal(before.package);
    expect(after?.revision).to.be.greaterThan(before.revision);
    for (const sha of blobsOf(before)) expect(await s.blobs.head(sha), 'old blobs kept').to.be.a('number');
    expect(await s.blobs.head(fullBlobOf('new.zip')), 'new blobs released').to.equal(undefined);
    expect(await s.audit.forArtifact(before.id, 5)).to.have.length(1);
  });

  it('when the DELETE entry is refused, then the record is back with its blobs', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('d.zip', HF_FILES), name: 'd' });
    s.refuseAudit(true);
    await expectRejection(s.remove.execute({ actor: admin, type: 'model', id: record.id }), ErrorCode.StorageUnavailable);
    expect(await s.repository.get(record.id)).to.deep.equal(record);
    for (const sha of blobsOf(record)) expect(await s.blobs.head(sha)).to.be.a('number');
  });

  it('when the undo fails too, then the answer is a plain server error naming both causes', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('u.zip', HF_FILES), name: 'u' });
    s.refuseAudit(true);
    s.repository.create = () => Promise.reject(new Error('EIO: the disk failed'));
    let thrown: unknown;
    await s.remove.execute({ actor: admin, type: 'model', id: record.id }).catch((error: unknown) => {
      thrown = error;
    });
    expect(thrown).to.be.instanceOf(AggregateError);
    expect((thrown as AggregateError).errors.map((error: Error) => error.message)).to.deep.equal(['storage is unreachable: SlowDown', 'EIO: the disk failed']);
  });

  it('when the store fails to open a download\'s content, then no DOWNLOAD entry is recorded', async () => {
    const s = setup();
    const record = await s.register.execute({ actor: admin, type: 'model', zipPath: s.archive.add('dl.zip', HF_FILES), name: 'dl' });
    const download = await new DownloadPackage(s.repository, s.blobs, new DownloadGuard({ run: () => Promise.reject(new Error('not sensitive')) }, s.audit, s.clock))
      .execute({ actor: admin, type: 'model', id: record.id });
    if (download.kind !== 'stream') throw new Error('expected a stream');
    s.blobs.get = () => Promise.reject(unreachable());
    await expectRejection(download.open(), ErrorCode.StorageUnavailable);
    expect((await s.audit.forArtifact(record.id, 5)).map((entry) => entry.action)).to.deep.equal(['CREATE']);
  });
});

describe('EvidenceCollector when the registry\'s own store fails', () => {
  it('when looking up a named dataset among registered artifacts fails, then collecting fails instead of recording the dataset as unavailable', async () => {
    const f = useCaseFixture();
    f.repository.list = () => Promise.reject(unreachable());
    const collector = new EvidenceCollector(unreachableHub, unreachableCodeHost, f.clock, new LineageService(f.repository));
    const collecting = collector.collect({ name: 'm', files: [], readme: '# m\n', cardMetadata: { datasets: ['rajpurkar/squad'] } });
    await expectRejection(collecting, ErrorCode.StorageUnavailable);
  });
});

describe('PackageIntake when the store refuses a write without reading it', () => {
  it('when a put fails at once, then the content stream handed to it is destroyed, so the staged file is not held open', async () => {
    const f = useCaseFixture();
    const zip = f.archive.add('held.zip', ['README.md', 'model.safetensors']);
    const opened: Readable[] = [];
    const open = f.archive.open.bind(f.archive);
    f.archive.open = (path: string) => {
      const stream = open(path);
      opened.push(stream);
      return stream;
    };
    f.blobs.put = () => Promise.reject(unreachable());
    await expectRejection(f.intake.accept(zip), ErrorCode.StorageUnavailable);
    expect(opened.map((stream) => stream.destroyed)).to.deep.equal([true]);
  });
});
