import { expect } from 'chai';
import { ErrorCode } from '../../../src/domain/errors';
import type { RunEnvironment, RunProgress, RunTarget } from '../../../src/domain/performance/performance-run';
import type { RunResult } from '../../../src/domain/performance/run-statistics';
import { PerformanceRuns, RUNNER_USER } from '../../../src/application/performance-runs';
import { MemoryPerformanceRunStore } from '../../../src/adapters/storage/memory/memory-performance-run-store';
import { Argon2PasswordHasher, RandomSecretGenerator } from '../../../src/adapters/system/system-adapters';
import type { LoadDriver, LoadOutcome, LoadPlan, LoadRun } from '../../../src/ports/performance.port';
import type { PerformanceRunStore } from '../../../src/ports/performance.port';
import type { Logger } from '../../../src/ports/system.port';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, admin, silentLogger, uploader, useCaseFixture } from '../../support/use-case-fixture';

const ENVIRONMENT: RunEnvironment = {
  storage: 'memory', compute: 'process', nodeVersion: 'v20.20.2', platform: 'linux', cpuCount: 2, cpuModel: 'test cpu', memoryBytes: 1 << 30, production: false,
};
const BASE_URL = 'http://127.0.0.1:3999';

/** A load run the test finishes by hand, as the child-process driver would when its clients stop. */
class ControlledRun implements LoadRun {
  stopped = false;
  finish!: (outcome: LoadOutcome) => void;
  fail!: (error: unknown) => void;
  readonly done = new Promise<LoadOutcome>((resolve, reject) => {
    this.finish = resolve;
    this.fail = reject;
  });
  constructor(readonly plan: LoadPlan, readonly report: (progress: RunProgress, target?: RunTarget) => void) {}
  stop(): void {
    this.stopped = true;
    this.fail(new Error('stopped'));
  }
}

class ControlledDriver implements LoadDriver {
  readonly runs: ControlledRun[] = [];
  start(plan: LoadPlan, onProgress: (progress: RunProgress, target?: RunTarget) => void): LoadRun {
    const run = new ControlledRun(plan, onProgress);
    this.runs.push(run);
    return run;
  }
}

const RESULT = { requests: 10 } as unknown as RunResult;

function setup(store: PerformanceRunStore = new MemoryPerformanceRunStore(), logger: Logger = silentLogger) {
  const f = useCaseFixture();
  const driver = new ControlledDriver();
  const hasher = new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 });
  const runs = new PerformanceRuns({
    store, driver, repository: f.repository, users: f.users, tokens: f.tokens, hasher, secrets: new RandomSecretGenerator(),
    ids: f.ids, clock: f.clock, environment: ENVIRONMENT, logger,
  });
  return { f, driver, hasher, runs, store };
}

/** Lets the driver's `done` handlers (finish, store) run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PerformanceRuns', () => {
  it('when an admin starts a run on a stored artifact, then the driver signs in as a fresh runner user and targets that package', async () => {
    const { f, driver, hasher, runs } = setup();
    await f.repository.create(aRecord({ id: 'M1', name: 'tiny-llm' }));

    const run = await runs.start({ actor: admin, settings: { clients: 4, requests: 20, artifact_id: 'M1' }, baseUrl: BASE_URL });

    expect(run.status).to.equal('running');
    expect(run.startedBy).to.equal('admin');
    expect(run.target).to.deep.equal({ id: 'M1', type: 'model', name: 'tiny-llm', sizeBytes: 1000 });
    const plan = driver.runs[0]!.plan;
    expect(plan.baseUrl).to.equal(BASE_URL);
    expect(plan.settings).to.deep.equal({ clients: 4, requests: 20, artifactId: 'M1' });
    const runner = await f.users.get(RUNNER_USER);
    expect(runner?.isAdmin).to.equal(false);
    expect(runner?.permissions).to.deep.equal(['upload', 'search', 'download']);
    expect(await hasher.verify(runner!.passwordHash, plan.user.password)).to.equal(true);
  });

  it('when the driver reports progress and then finishes, then the run shows it and is stored as completed', async () => {
    const { f, driver, runs, store } = setup();
    await f.repository.create(aRecord({ id: 'M1', name: 'tiny-llm' }));
    const run = await runs.start({ actor: admin, settings: { artifact_id: 'M1' }, baseUrl: BASE_URL });
    const load = driver.runs[0]!;

    load.report({ phase: 'running', elapsedSeconds: 5, completed: 40, errors: 1, bytes: 4000 });
    expect((await runs.get(admin, run.id)).progress.completed).to.equal(40);
    expect((await runs.list(admin)).map((listed) => listed.id)).to.deep.equal([run.id]);

    const target = { id: 'M1', type: 'model' as const, name: 'tiny-llm', sizeBytes: 1000 };
    load.finish({ target, result: RESULT });
    await settle();

    const finished = await store.get(run.id);
    expect(finished?.status).to.equal('completed');
    expect(finished?.result).to.equal(RESULT);
    expect(finished?.progress.phase).to.equal('finished');
    expect(finished?.finishedAt).to.equal('2026-03-01T12:00:00.000Z');
    expect((await runs.get(admin, run.id)).status).to.equal('completed');
  });

  it('when a run is in progress, then a second start is PERFORMANCE.RUN_ACTIVE; once it fails, a new run may start', async () => {
    const { driver, runs, store } = setup();
    const first = await runs.start({ actor: admin, settings: { populate: true }, baseUrl: BASE_URL });

    const error = await expectRejection(runs.start({ actor: admin, settings: { populate: true }, baseUrl: BASE_URL }), ErrorCode.PerformanceRunActive);
    expect(error.details).to.deep.equal({ active: first.id });

    runs.stop();
    await settle();
    expect(driver.runs[0]!.stopped).to.equal(true);
    const failed = await store.get(first.id);
    expect(failed?.status).to.equal('failed');
    expect(failed?.failure).to.equal('stopped');

    const second = await runs.start({ actor: admin, settings: { populate: true }, baseUrl: BASE_URL });
    expect(second.id).to.not.equal(first.id);
    expect((await runs.list(admin)).map((listed) => listed.id)).to.deep.equal([second.id, first.id]);
  });

  it('when the registry runs as a function, the target is missing or external, or the settings are bad, then 4xx/5xx and no run is left active', async () => {
    const { f, driver, runs } = setup();
    const { package: _none, ...external } = aRecord({ id: 'X1', name: 'linked' });
    await f.repository.create(external);

    await expectRejection(runs.start({ actor: admin, settings: { populate: true } }), ErrorCode.PerformanceUnavailable);
    await expectRejection(runs.start({ actor: admin, settings: { artifact_id: 'NOPE' }, baseUrl: BASE_URL }), ErrorCode.ArtifactNotFound);
    await expectRejection(runs.start({ actor: admin, settings: { artifact_id: 'X1' }, baseUrl: BASE_URL }), ErrorCode.InvalidInput);
    await expectRejection(runs.start({ actor: admin, settings: { clients: 0, populate: true }, baseUrl: BASE_URL }), ErrorCode.InvalidInput);
    expect(driver.runs).to.deep.equal([]);
    expect(await runs.list(admin)).to.deep.equal([]);
  });

  it('when a non-admin starts, reads or lists runs, or the id is unknown, then AUTH.FORBIDDEN or PERFORMANCE.RUN_NOT_FOUND', async () => {
    const { runs } = setup();

    await expectRejection(runs.start({ actor: uploader, settings: { populate: true }, baseUrl: BASE_URL }), ErrorCode.Forbidden);
    await expectRejection(runs.list(uploader), ErrorCode.Forbidden);
    await expectRejection(runs.get(uploader, 'R1'), ErrorCode.Forbidden);
    await expectRejection(runs.get(admin, 'R1'), ErrorCode.PerformanceRunNotFound);
  });

  it('when the finished run cannot be stored, then the failure is logged and the next run may still start', async () => {
    const failingStore: PerformanceRunStore = {
      save: () => Promise.reject(new Error('disk gone')),
      get: () => Promise.resolve(undefined),
      list: () => Promise.resolve([]),
    };
    const errors: string[] = [];
    const { driver, runs } = setup(failingStore, { ...silentLogger, error: (message) => errors.push(message) });
    await runs.start({ actor: admin, settings: { populate: true }, baseUrl: BASE_URL });

    driver.runs[0]!.finish({ target: { id: 'M1', type: 'model', name: 'm', sizeBytes: 1 }, result: RESULT });
    await settle();

    expect(errors).to.deep.equal(['could not store a finished performance run']);
    const next = await runs.start({ actor: admin, settings: { populate: true }, baseUrl: BASE_URL });
    expect(next.status).to.equal('running');
  });
});
