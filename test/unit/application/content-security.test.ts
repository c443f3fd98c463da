import { expect } from 'chai';
import { Readable } from 'node:stream';
import type { ArtifactRecord } from '../../../src/domain/artifact';
import { contentScan, fileScan, SCAN_RULES_VERSION, type FileScan } from '../../../src/domain/content-scan';
import { ErrorCode } from '../../../src/domain/errors';
import { DEFAULT_PACKAGE_LIMITS } from '../../../src/domain/package-policy';
import { ConfusionCheck, RescanArtifacts, withConfusionWarning } from '../../../src/application/content-security.use-cases';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, admin, FakePackageArchive, reader, useCaseFixture } from '../../support/use-case-fixture';

/** An archive whose scan finds what the test says, and that reads the stored bytes it is handed. */
class ScriptedScanArchive extends FakePackageArchive {
  readonly scanned: string[] = [];
  constructor(private readonly findings: FileScan[]) {
    super();
  }
  override async scanStream(content: Readable): Promise<FileScan[]> {
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    this.scanned.push(Buffer.concat(chunks).toString());
    return this.findings;
  }
}

const PICKLE_RCE = fileScan('model.bin', 'pickle', [{ verdict: 'dangerous', global: 'os.system', message: 'imports os.system' }], ['os.system']);

async function downloadsOf(f: ReturnType<typeof useCaseFixture>, record: ArtifactRecord, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await f.audit.append({ user: { name: `user${index}`, isAdmin: false }, date: '2026-02-01T00:00:00.000Z', artifact: { id: record.id, name: record.name, type: record.type }, action: 'DOWNLOAD' });
  }
}

async function registryWithOriginal() {
  const f = useCaseFixture();
  const original = aRecord({ id: 'A1', name: 'bert-base-uncased', createdAt: '2026-01-01T00:00:00.000Z' });
  const unrelated = aRecord({ id: 'A2', name: 'resnet-50', createdAt: '2026-01-02T00:00:00.000Z' });
  await f.repository.create(original);
  await f.repository.create(unrelated);
  await downloadsOf(f, original, 5);
  return { f, original, check: new ConfusionCheck(f.repository, f.audit, f.clock) };
}

describe('ConfusionCheck', () => {
  it('when an imitation is registered after a popular original, then the report names it and what it resembles, and only it', async () => {
    const { f, check } = await registryWithOriginal();
    await f.repository.create(aRecord({ id: 'A3', name: 'bert-base-uncassed', createdAt: '2026-02-28T00:00:00.000Z' }));

    const findings = await check.report(admin);

    expect(findings.map((finding) => [finding.id, finding.resembles?.id])).to.deep.equal([['A3', 'A1']]);
    expect(findings[0]?.score).to.be.at.least(0.3);
    expect(findings[0]?.reasons.join(' ')).to.contain('bert-base-uncased');
  });

  it('when a non-admin asks for the report, then AUTH.FORBIDDEN', async () => {
    const { check } = await registryWithOriginal();

    await expectRejection(check.report(reader), ErrorCode.Forbidden);
  });

  it('when a look-alike arrives at intake, then the warning names the original; an unrelated name gets none', async () => {
    const { check } = await registryWithOriginal();
    const imitation = aRecord({ id: 'A9', name: 'bret-base-uncased', createdAt: '2026-03-01T00:00:00.000Z' });
    const unrelated = aRecord({ id: 'A8', name: 'whisper-tiny', createdAt: '2026-03-01T00:00:00.000Z' });

    const warned = await withConfusionWarning(imitation, check);
    const plain = await withConfusionWarning(unrelated, check);

    expect(warned.confusion?.resembles).to.deep.equal({ id: 'A1', name: 'bert-base-uncased', type: 'model' });
    expect(plain).to.deep.equal(unrelated);
    expect(await withConfusionWarning(imitation, undefined)).to.deep.equal(imitation);
  });

  it('when the registry holds more names than one index page, then a look-alike on a later page is still found', async () => {
    const f = useCaseFixture();
    for (let index = 0; index < 1_005; index += 1) {
      await f.repository.create(aRecord({ id: `B${String(index).padStart(5, '0')}`, name: `filler-model-${index}`, createdAt: '2026-01-01T00:00:00.000Z' }));
    }
    const original = aRecord({ id: 'C00001', name: 'whisper-tiny', createdAt: '2026-01-01T00:00:00.000Z' });
    await f.repository.create(original);
    await downloadsOf(f, original, 3);
    const check = new ConfusionCheck(f.repository, f.audit, f.clock);

    const report = await check.atIntake(aRecord({ id: 'C00002', name: 'whisper-tinny', createdAt: '2026-03-01T00:00:00.000Z' }));

    expect(report?.resembles?.id).to.equal('C00001');
  });
});

describe('RescanArtifacts', () => {
  async function registryWithStoredPackage(findings: FileScan[]) {
    const f = useCaseFixture();
    const archive = new ScriptedScanArchive(findings);
    const blob = await f.blobs.put(Readable.from([Buffer.from('stored package bytes')]));
    const record = aRecord({ id: 'R1', name: 'bert' });
    const stored = { ...record, package: { ...record.package!, full: { ...record.package!.full, sha256: blob.sha256, size: blob.size } } };
    await f.repository.create(stored);
    const rescan = new RescanArtifacts(f.repository, f.blobs, archive, DEFAULT_PACKAGE_LIMITS, f.audit, f.clock);
    return { f, archive, rescan, stored };
  }

  it('when an admin re-scans a package now judged dangerous, then the stored bytes were read, the verdict replaces the old one and it is audited', async () => {
    const { f, archive, rescan } = await registryWithStoredPackage([PICKLE_RCE]);

    const updated = await rescan.one(admin, 'model', 'R1');

    expect(archive.scanned).to.deep.equal(['stored package bytes']);
    expect(updated.contentScan).to.deep.equal({ rules: SCAN_RULES_VERSION, scannedAt: '2026-03-01T12:00:00.000Z', verdict: 'dangerous', files: [PICKLE_RCE] });
    expect(updated.revision).to.equal(2);
    expect((await f.repository.get('R1'))?.contentScan?.verdict).to.equal('dangerous');
    const entries = await f.audit.forArtifact('R1', 10);
    expect(entries.map((entry) => [entry.action, entry.detail])).to.deep.equal([['AUDIT', 'content re-scan: dangerous']]);
  });

  it('when a non-admin re-scans, or the id is not a model, then 4xx and nothing is read', async () => {
    const { archive, rescan } = await registryWithStoredPackage([]);

    await expectRejection(rescan.one(reader, 'model', 'R1'), ErrorCode.Forbidden);
    await expectRejection(rescan.all(reader, { force: true }), ErrorCode.Forbidden);
    await expectRejection(rescan.one(admin, 'dataset', 'R1'), ErrorCode.ArtifactNotFound);
    expect(archive.scanned).to.deep.equal([]);
  });

  it('when an artifact is an external reference without stored content, then re-scanning leaves it as it was', async () => {
    const { f, archive, rescan } = await registryWithStoredPackage([]);
    const { package: _none, ...external } = aRecord({ id: 'R2', name: 'linked' });
    await f.repository.create(external);

    const result = await rescan.one(admin, 'model', 'R2');

    expect(result).to.deep.equal(external);
    expect(archive.scanned).to.deep.equal([]);
  });

  it('when all are re-scanned, then only records never scanned or scanned under older rules are read, unless forced', async () => {
    const { f, archive, rescan, stored } = await registryWithStoredPackage([]);
    const current = contentScan([], '2026-02-01T00:00:00.000Z');
    await f.repository.create({ ...stored, id: 'R3', name: 'current', contentScan: current });
    await f.repository.create({ ...stored, id: 'R4', name: 'older', contentScan: { ...current, rules: '2025-01-01.1' } });

    const done = await rescan.all(admin, { force: false });

    expect(done.map((entry) => entry.record.id)).to.deep.equal(['R1', 'R4']);
    expect(archive.scanned).to.have.length(2);

    const forced = await rescan.all(admin, { force: true });
    expect(forced.map((entry) => entry.record.id)).to.deep.equal(['R1', 'R3', 'R4']);
  });
});
