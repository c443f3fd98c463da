import { DomainError, ErrorCode } from '../domain/errors';
import type { PerformanceRun, RunEnvironment, RunProgress, RunTarget } from '../domain/performance/performance-run';
import { parseRunSettings, type RawRunSettings, type RunSettings } from '../domain/performance/run-settings';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { LoadDriver, LoadOutcome, LoadRun, PerformanceRunStore } from '../ports/performance.port';
import type { Clock, IdGenerator, Logger, PasswordHasher, SecretGenerator } from '../ports/system.port';
import type { TokenStore, UserStore } from '../ports/user-store.port';
import { requirePermission } from './access';

/** The user the load driver signs in as: an ordinary client with no admin rights. */
export const RUNNER_USER = 'tmr-performance-runner';

export interface PerformanceRunsDeps {
  readonly store: PerformanceRunStore;
  readonly driver: LoadDriver;
  readonly repository: ArtifactRepository;
  readonly users: UserStore;
  readonly tokens: TokenStore;
  readonly hasher: PasswordHasher;
  readonly secrets: SecretGenerator;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly environment: RunEnvironment;
  readonly logger: Logger;
}

interface Active {
  run: PerformanceRun;
  load?: LoadRun;
}

/**
 * Starts, follows and keeps load runs against this registry. One run at a time: two would measure
 * each other. The run in progress lives here; finished runs go to the store.
 */
export class PerformanceRuns {
  private active: Active | undefined;

  constructor(private readonly deps: PerformanceRunsDeps) {}

  /** @param baseUrl where the driver reaches this registry; absent where no driver can run (a function). */
  async start(input: { actor: User; settings: RawRunSettings; baseUrl?: string }): Promise<PerformanceRun> {
    requirePermission(input.actor, 'admin');
    const settings = parseRunSettings(input.settings);
    const baseUrl = input.baseUrl;
    if (baseUrl === undefined) {
      throw new DomainError(ErrorCode.PerformanceUnavailable, 'performance runs need the registry running as a server (npm start), not as a function');
    }
    if (this.active !== undefined) {
      throw new DomainError(ErrorCode.PerformanceRunActive, `performance run ${this.active.run.id} is still in progress; wait for it to finish`, { active: this.active.run.id });
    }
    // Claimed before the first await, so a second request in the same tick sees it.
    const active: Active = { run: this.newRun(input.actor, settings) };
    this.active = active;
    try {
      const target = settings.artifactId === undefined ? undefined : await this.targetOf(settings.artifactId);
      if (target !== undefined) active.run = { ...active.run, target };
      const password = this.deps.secrets.secret();
      // The last run's tokens are of no further use; without this each run would leave a hundred.
      await this.deps.tokens.revokeUser(RUNNER_USER);
      await this.deps.users.save({
        name: RUNNER_USER, isAdmin: false, permissions: ['upload', 'search', 'download'], passwordHash: await this.deps.hasher.hash(password),
      });
      const load = this.deps.driver.start(
        { baseUrl, user: { name: RUNNER_USER, password }, settings, ...(target === undefined ? {} : { target }) },
        (progress, found) => this.progressed(active, progress, found),
      );
      active.load = load;
      load.done.then((outcome) => this.finish(active, outcome), (error: unknown) => this.finish(active, error));
      return active.run;
    } catch (error) {
      this.active = undefined;
      throw error;
    }
  }

  async get(actor: User, id: string): Promise<PerformanceRun> {
    requirePermission(actor, 'admin');
    if (this.active?.run.id === id) return this.active.run;
    const run = await this.deps.store.get(id);
    if (run === undefined) throw new DomainError(ErrorCode.PerformanceRunNotFound, `no performance run has id "${id}"`);
    return run;
  }

  /** The run in progress (if any) first, then finished runs, newest first. */
  async list(actor: User): Promise<PerformanceRun[]> {
    requirePermission(actor, 'admin');
    const stored = await this.deps.store.list();
    return this.active === undefined ? stored : [this.active.run, ...stored.filter((run) => run.id !== this.active?.run.id)];
  }

  /** Ends the run in progress, if any (shutdown). */
  stop(): void {
    this.active?.load?.stop();
  }

  private newRun(actor: User, settings: RunSettings): PerformanceRun {
    return {
      id: this.deps.ids.next(),
      status: 'running',
      startedAt: this.deps.clock.now().toISOString(),
      startedBy: actor.name,
      settings,
      environment: this.deps.environment,
      progress: { phase: 'starting', elapsedSeconds: 0, completed: 0, errors: 0, bytes: 0 },
    };
  }

  private async targetOf(id: string): Promise<RunTarget> {
    const record = await this.deps.repository.get(id);
    if (record === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `no artifact has id "${id}" to download`);
    if (record.package === undefined) throw new DomainError(ErrorCode.InvalidInput, `artifact ${id} is an external reference: the registry holds no package to download`);
    return { id: record.id, type: record.type, name: record.name, sizeBytes: record.package.full.size };
  }

  private progressed(active: Active, progress: RunProgress, target?: RunTarget): void {
    active.run = { ...active.run, progress, ...(target === undefined ? {} : { target }) };
  }

  private async finish(active: Active, outcome: LoadOutcome | unknown): Promise<void> {
    const finishedAt = this.deps.clock.now().toISOString();
    const done = isOutcome(outcome);
    const run: PerformanceRun = done
      ? { ...active.run, status: 'completed', finishedAt, target: outcome.target, result: outcome.result, progress: { ...active.run.progress, phase: 'finished' } }
      : { ...active.run, status: 'failed', finishedAt, failure: outcome instanceof Error ? outcome.message : String(outcome), progress: { ...active.run.progress, phase: 'finished' } };
    active.run = run;
    try {
      await this.deps.store.save(run);
    } catch (error) {
      this.deps.logger.error('could not store a finished performance run', { runId: run.id, err: error instanceof Error ? error.message : String(error) });
    } finally {
      if (this.active === active) this.active = undefined;
    }
  }
}

const isOutcome = (value: unknown): value is LoadOutcome =>
  typeof value === 'object' && value !== null && 'result' in value && 'target' in value;
