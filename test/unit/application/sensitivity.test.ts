import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { ErrorCode } from '../../../src/domain/errors';
import type { User } from '../../../src/domain/user';
import { DownloadGuard, ManageSensitivity } from '../../../src/application/sensitivity.use-cases';
import type { HookRun, HookRunner, HookVerdict } from '../../../src/ports/hook-runner.port';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, admin, reader, uploader, useCaseFixture } from '../../support/use-case-fixture';

const HOOK = 'export default (model, uploader, downloader) => downloader !== "mallory";';
const otherUploader: User = { name: 'other', isAdmin: false, permissions: ['upload', 'search', 'download'] };

/** A hook runner that answers the verdicts it is given, in order, and keeps the runs it was asked for. */
class ScriptedHooks implements HookRunner {
  readonly runs: HookRun[] = [];
  constructor(private readonly verdicts: HookVerdict[]) {}
  async run(run: HookRun): Promise<HookVerdict> {
    this.runs.push(run);
    const verdict = this.verdicts.shift();
    if (verdict === undefined) throw new Error('no verdict scripted for this run');
    return verdict;
  }
}

const verdict = (outcome: HookVerdict['outcome'], reason = ''): HookVerdict => ({ outcome, reason, output: `${outcome} output`, durationMs: 3 });

async function fixtureWithModel() {
  const f = useCaseFixture();
  await f.repository.create(aRecord({ id: 'M1', name: 'bert', createdBy: uploader.name }));
  return { ...f, manage: new ManageSensitivity(f.repository, f.audit, f.clock) };
}

describe('ManageSensitivity', () => {
  it('when the uploader sets a program, then the record keeps it with its digest, the revision moves on and the change is audited', async () => {
    const f = await fixtureWithModel();

    const view = await f.manage.set({ actor: uploader, id: 'M1', hook: HOOK });

    const sha = createHash('sha256').update(HOOK).digest('hex');
    expect(view).to.deep.equal({ sensitive: true, hookSha256: sha, setBy: 'uploader', setAt: '2026-03-01T12:00:00.000Z', hookSource: HOOK });
    const stored = await f.repository.get('M1');
    expect(stored?.sensitivity?.hookSource).to.equal(HOOK);
    expect(stored?.revision).to.equal(2);
    const entries = await f.audit.forArtifact('M1', 10);
    expect(entries.map((entry) => [entry.action, entry.detail])).to.deep.equal([['UPDATE', `pre-download program set (sha256 ${sha})`]]);
  });

  it('when a reader asks, then they learn the model is sensitive but not the program; the uploader and an admin see it', async () => {
    const f = await fixtureWithModel();
    await f.manage.set({ actor: uploader, id: 'M1', hook: HOOK });

    const forReader = await f.manage.get({ actor: reader, id: 'M1' });
    const forAdmin = await f.manage.get({ actor: admin, id: 'M1' });

    expect(forReader.sensitive).to.equal(true);
    expect(forReader).to.not.have.property('hookSource');
    expect(forAdmin.hookSource).to.equal(HOOK);
  });

  it('when a model has no program, then it is reported as not sensitive and removing is a no-op without an audit entry', async () => {
    const f = await fixtureWithModel();

    expect(await f.manage.get({ actor: reader, id: 'M1' })).to.deep.equal({ sensitive: false });
    expect(await f.manage.remove({ actor: uploader, id: 'M1' })).to.deep.equal({ sensitive: false });
    expect(await f.audit.forArtifact('M1', 10)).to.deep.equal([]);
    expect((await f.repository.get('M1'))?.revision).to.equal(1);
  });

  it('when an admin removes the program, then the record loses it and the removal is audited', async () => {
    const f = await fixtureWithModel();
    await f.manage.set({ actor: uploader, id: 'M1', hook: HOOK });

    const view = await f.manage.remove({ actor: admin, id: 'M1' });

    expect(view).to.deep.equal({ sensitive: false });
    const stored = await f.repository.get('M1');
    expect(stored?.sensitivity).to.equal(undefined);
    expect(stored?.revision).to.equal(3);
    expect((await f.audit.forArtifact('M1', 10)).map((entry) => entry.detail)).to.deep.equal([
      `pre-download program set (sha256 ${createHash('sha256').update(HOOK).digest('hex')})`,
      'pre-download program removed',
    ]);
  });

  it('when another uploader or a reader tries to set, remove or read the history, then AUTH.FORBIDDEN and nothing changes', async () => {
    const f = await fixtureWithModel();

    await expectRejection(f.manage.set({ actor: otherUploader, id: 'M1', hook: HOOK }), ErrorCode.Forbidden);
    await expectRejection(f.manage.set({ actor: reader, id: 'M1', hook: HOOK }), ErrorCode.Forbidden);
    await expectRejection(f.manage.remove({ actor: otherUploader, id: 'M1' }), ErrorCode.Forbidden);
    await expectRejection(f.manage.history({ actor: otherUploader, id: 'M1' }), ErrorCode.Forbidden);
    expect((await f.repository.get('M1'))?.revision).to.equal(1);
  });

  it('when the program is empty or not a string, or the model does not exist, then 4xx codes and nothing is stored', async () => {
    const f = await fixtureWithModel();

    await expectRejection(f.manage.set({ actor: uploader, id: 'M1', hook: '  ' }), ErrorCode.InvalidInput);
    await expectRejection(f.manage.set({ actor: uploader, id: 'M1', hook: 42 }), ErrorCode.InvalidInput);
    await expectRejection(f.manage.set({ actor: uploader, id: 'NOPE', hook: HOOK }), ErrorCode.ArtifactNotFound);
    expect((await f.repository.get('M1'))?.sensitivity).to.equal(undefined);
  });

  it('when the history is read, then only DOWNLOAD entries of that model come back', async () => {
    const f = await fixtureWithModel();
    await f.manage.set({ actor: uploader, id: 'M1', hook: HOOK });
    const guard = new DownloadGuard(new ScriptedHooks([]), f.audit, f.clock);
    const record = (await f.repository.get('M1'))!;
    await guard.record(reader, record, 'weights', undefined);

    const history = await f.manage.history({ actor: uploader, id: 'M1' });

    expect(history.map((entry) => [entry.action, entry.detail, entry.user.name])).to.deep.equal([['DOWNLOAD', 'weights', 'reader']]);
  });
});

describe('DownloadGuard', () => {
  async function sensitiveModel() {
    const f = await fixtureWithModel();
    await f.manage.set({ actor: uploader, id: 'M1', hook: HOOK });
    return { f, record: (await f.repository.get('M1'))! };
  }

  it('when a model is not sensitive, then no program runs and nothing is decided', async () => {
    const f = await fixtureWithModel();
    const hooks = new ScriptedHooks([]);
    const guard = new DownloadGuard(hooks, f.audit, f.clock);

    expect(await guard.check(reader, (await f.repository.get('M1'))!, 'full')).to.equal(undefined);
    expect(hooks.runs).to.deep.equal([]);
  });

  it('when the program allows, then it ran with the model, uploader and downloader and the package, and nothing is recorded yet', async () => {
    const { f, record } = await sensitiveModel();
    const hooks = new ScriptedHooks([verdict('allowed')]);
    const guard = new DownloadGuard(hooks, f.audit, f.clock);

    const result = await guard.check(reader, record, 'full');

    expect(result?.outcome).to.equal('allowed');
    expect(hooks.runs).to.deep.equal([{ source: HOOK, args: ['bert', 'uploader', 'reader'], package: record.package!.full }]);
    expect((await f.audit.forArtifact('M1', 10)).filter((entry) => entry.action === 'DOWNLOAD')).to.deep.equal([]);
  });

  it('when the program refuses, then DOWNLOAD.REFUSED with its reason and output, and the attempt is recorded with the outcome', async () => {
    const { f, record } = await sensitiveModel();
    const guard = new DownloadGuard(new ScriptedHooks([verdict('refused', 'not on the list')]), f.audit, f.clock);

    const error = await expectRejection(guard.check(reader, record, 'weights'), ErrorCode.DownloadRefused);

    expect(error.message).to.contain('not on the list');
    expect(error.details).to.deep.equal({ outcome: 'refused', reason: 'not on the list', output: 'refused output' });
    const downloads = (await f.audit.forArtifact('M1', 10)).filter((entry) => entry.action === 'DOWNLOAD');
    expect(downloads.map((entry) => [entry.detail, entry.outcome, entry.hookOutput])).to.deep.equal([['weights', 'refused', 'refused output']]);
  });

  it('when the program cannot be run, then DOWNLOAD.HOOK_FAILED and the failed attempt is recorded', async () => {
    const { f, record } = await sensitiveModel();
    const guard = new DownloadGuard(new ScriptedHooks([verdict('failed', 'timed out')]), f.audit, f.clock);

    await expectRejection(guard.check(reader, record, 'full'), ErrorCode.HookUnavailable);

    const downloads = (await f.audit.forArtifact('M1', 10)).filter((entry) => entry.action === 'DOWNLOAD');
    expect(downloads.map((entry) => entry.outcome)).to.deep.equal(['failed']);
  });
});
