import { expect } from 'chai';
import type { AuditAction } from '../../../src/domain/audit';
import type { ArtifactRepository } from '../../../src/ports/artifact-repository.port';
import { ADMIN, ADMIN_PASSWORD, login, send, type ApiResponse, type RequestOptions, type TestRegistry } from '../test-registry';
import { SETTLING_MODES, type FaultInjector, type FaultMode, type FaultPlan, type PortCall } from './port-faults';
import { storeConsistency, type BlobLister } from './store-consistency';

/** Requests as the admin, with a token the sweep renews before it runs out of uses. */
export interface Client {
  request<T = unknown>(method: string, path: string, init?: RequestOptions): Promise<ApiResponse<T>>;
}

/**
 * One path through the registry under test: a function doing requests, with what it must leave.
 * `setup` and `teardown` run with faults off; `act` runs with one fault armed.
 */
export interface FaultPath<S> {
  readonly name: string;
  /** Puts the registry where the path starts (an artifact to replace, say) and returns what `act` needs. */
  setup(client: Client): Promise<S>;
  /** The requests under test; every response is checked. */
  act(client: Client, state: S): Promise<ApiResponse[]>;
  /** The audit actions a successful `act` appends, in order. */
  readonly audit: readonly AuditAction[];
  /** Whether the operation's effect is visible (true) or absent (false); must match the outcome. */
  applied(client: Client, state: S): Promise<boolean>;
  /**
   * Port calls (`Port.method`) whose failure the operation may survive besides the best-effort release
   * of content; any other fault must be answered with an error, never absorbed into a degraded result.
   */
  readonly tolerates?: readonly string[];
  /**
   * Blobs a successful `act` releases best-effort (a replaced or deleted package's): a fault while
   * releasing them may leave them orphaned, for the sweeper, and the request still succeeds.
   */
  released?(state: S): readonly string[];
  /** Back to the starting state, faults off, once the operation took effect (by itself or on the retry). */
  teardown(client: Client, state: S): Promise<void>;
}

export interface SweepOptions {
  readonly registry: TestRegistry;
  /** Counts port calls and records audit appends; injects the faults unless `injector` is given. */
  readonly plan: FaultPlan;
  /** Injects the faults somewhere else (the S3 server's requests); the plan then only counts and records. */
  readonly injector?: FaultInjector;
  /** The repository behind the faults, for the consistency check. */
  readonly repository: ArtifactRepository;
  readonly blobs: BlobLister;
  /** Whether an open transaction staged the blob: such content is held, not orphaned. */
  readonly staged?: (sha: string) => Promise<boolean>;
  /** Removes orphans a best-effort release left; defaults to none allowed. */
  readonly sweep?: (orphans: readonly string[]) => Promise<void>;
  readonly modes?: readonly FaultMode[];
}

export interface SweepReport {
  readonly path: string;
  /** Port calls of the clean run, e.g. `TokenStore.consume`. */
  readonly calls: string[];
  /** Faulted runs: how many, how many answered an error, how many succeeded anyway. */
  readonly runs: number;
  readonly failed: number;
  readonly succeeded: number;
  /** The calls whose fault the request survived (best-effort work), with the mode. */
  readonly tolerated: string[];
  /** Orphans a best-effort release left and the sweep cleared. */
  readonly swept: number;
  readonly requests: number;
  readonly milliseconds: number;
}

const TOKEN_USES = 800;
/** Releasing content no record refers to any more: best-effort, what it leaves is the sweeper's. */
const RELEASE_CALLS: readonly string[] = ['ArtifactRepository.isBlobReferenced', 'BlobStore.delete'];

interface RenewingClient extends Client {
  /** Signs in again when the token is gone (a reset) or near its use limit: never while faults are armed. */
  ready(): Promise<void>;
  forget(): void;
}

/** A client whose token is renewed, between runs, before the registry's 1000-use limit runs out. */
function renewingClient(registry: TestRegistry, counter: { requests: number }): RenewingClient {
  let token: string | undefined;
  let uses = 0;
  return {
    ready: async () => {
      if (token === undefined || uses >= TOKEN_USES) {
        token = await login(registry.url, ADMIN, ADMIN_PASSWORD);
        uses = 0;
      }
    },
    forget: () => {
      token = undefined;
    },
    request: async <T>(method: string, path: string, init: RequestOptions = {}) => {
      if (token === undefined) throw new Error('the sweep client is not signed in');
      uses += 1;
      counter.requests += 1;
      return send<T>(registry.url, method, path, { ...init, token });
    },
  };
}

const describeCall = (call: PortCall | undefined, mode: FaultMode): string => (call === undefined ? `${mode} beyond the last call` : `${mode} at ${call.index} ${call.port}.${call.method}`);

/** An error answer: a 4xx or 5xx status and a JSON body with a code and a message. */
function expectClearError(response: ApiResponse, where: string): void {
  expect(response.status, `${where}: status`).to.be.within(400, 599);
  const body = response.body as { code?: unknown; message?: unknown } | undefined;
  expect(body, `${where}: a JSON error body (${response.raw.toString().slice(0, 200)})`).to.be.an('object');
  expect(body?.code, `${where}: error code`).to.be.a('string');
  expect(body?.message, `${where}: error message`).to.be.a('string');
  // A storage fault is a known failure (503 STORAGE.UNAVAILABLE): never the "something unknown broke" 500.
  expect(response.status, `${where}: not an unexplained server error (${String(body?.code)})`).to.not.equal(500);
}

const succeeded = (responses: readonly ApiResponse[]): boolean => responses.every((response) => response.status < 400);

/**
 * Counts the port calls of a clean run of the path (N), then runs it N times in each mode with the
 * fault at call 1, 2, …, N, and after each run checks: every failure answered a clear error; the
 * outcome (applied or not) matches the answer; the audit trail holds the operation's entries exactly
 * when it succeeded; no record lacks a blob and no blob lacks a record (unless a best-effort release
 * was what failed, and the sweep then clears it); and the same operation, run again without faults,
 * succeeds — the registry serves the next request and nothing was left half-done in its way.
 */
export async function sweepFaults<S>(path: FaultPath<S>, options: SweepOptions): Promise<SweepReport> {
  const { plan } = options;
  const injector = options.injector ?? plan;
  const started = process.hrtime.bigint();
  const counter = { requests: 0 };
  const client = renewingClient(options.registry, counter);
  await client.ready();
  // Every sweep starts from an empty registry, whatever an earlier one left.
  expect((await client.request('DELETE', '/reset')).status, 'reset before the sweep').to.equal(200);
  client.forget();
  const clean = await runOnce(path, client, plan, injector, undefined, 'fail');
  expect(clean.ok, `${path.name}: the clean run succeeds`).to.equal(true);
  const calls = clean.calls.map((call) => `${call.port}.${call.method}`);
  await path.teardown(client, clean.state);
  let failed = 0;
  let ok = 0;
  let swept = 0;
  const tolerated: string[] = [];
  const modes = options.modes ?? SETTLING_MODES;
  for (const mode of modes) {
    for (let at = 1; at <= calls.length; at += 1) {
      const run = await runOnce(path, client, plan, injector, at, mode);
      const where = `${path.name}: ${describeCall(run.struck, mode)}`;
      swept += await checkRun(path, client, { ...options, injector }, run, where);
      if (run.ok) {
        ok += 1;
        if (run.struck !== undefined) tolerated.push(describeCall(run.struck, mode));
      }
      else failed += 1;
      await path.teardown(client, run.state);
      const after = await storeConsistency(options.repository, options.blobs, options.staged);
      expect({ orphans: after.orphans, missing: after.missing }, `${where}: consistent after teardown`).to.deep.equal({ orphans: [], missing: [] });
    }
  }
  const milliseconds = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return { path: path.name, calls, tolerated, runs: failed + ok, failed, succeeded: ok, swept, requests: counter.requests, milliseconds };
}

interface Run<S> {
  readonly state: S;
  readonly responses: ApiResponse[];
  readonly ok: boolean;
  readonly struck: PortCall | undefined;
  readonly calls: PortCall[];
  readonly appended: AuditAction[];
}

async function runOnce<S>(path: FaultPath<S>, client: RenewingClient, plan: FaultPlan, injector: FaultInjector, at: number | undefined, mode: FaultMode): Promise<Run<S>> {
  await client.ready();
  const state = await path.setup(client);
  if (injector !== plan) plan.arm();
  injector.arm(at, mode);
  let responses: ApiResponse[];
  try {
    responses = await path.act(client, state);
  } finally {
    plan.disarm();
    injector.disarm();
  }
  return { state, responses, ok: succeeded(responses), struck: injector.struck, calls: [...injector.calls], appended: plan.appended.map((entry) => entry.action) };
}

/** The checks after one faulted run; returns how many orphans the sweep cleared. */
async function checkRun<S>(path: FaultPath<S>, client: Client, options: SweepOptions, run: Run<S>, where: string): Promise<number> {
  if (run.struck === undefined) expect(run.ok, `${where}: no fault struck, so the run succeeds`).to.equal(true);
  else if (run.ok && options.injector?.belowRetries !== true) expect([...RELEASE_CALLS, ...(path.tolerates ?? [])], `${where}: only best-effort work may fail without an error answer`).to.include(`${run.struck.port}.${run.struck.method}`);
  for (const response of run.responses) if (response.status >= 400) expectClearError(response, where);
  expect(run.appended, `${where}: audit entries exactly for what happened`).to.deep.equal(run.ok ? path.audit : []);
  expect(await path.applied(client, run.state), `${where}: the effect is there exactly when the answer said so`).to.equal(run.ok);
  const consistency = await storeConsistency(options.repository, options.blobs, options.staged);
  expect(consistency.missing, `${where}: no record without its blobs`).to.deep.equal([]);
  let swept = 0;
  if (consistency.orphans.length > 0) {
    const released = run.ok ? (path.released?.(run.state) ?? []) : [];
    const bestEffort = run.struck !== undefined && RELEASE_CALLS.includes(`${run.struck.port}.${run.struck.method}`);
    expect(bestEffort && consistency.orphans.every((sha) => released.includes(sha)), `${where}: orphans ${consistency.orphans.join(', ')} only from a best-effort release`).to.equal(true);
    expect(options.sweep, `${where}: orphans left and no sweep to clear them`).to.not.equal(undefined);
    await options.sweep?.(consistency.orphans);
    expect((await storeConsistency(options.repository, options.blobs, options.staged)).orphans, `${where}: the sweep cleared the orphans`).to.deep.equal([]);
    swept = consistency.orphans.length;
  }
  if (!run.ok) {
    const retry = await path.act(client, run.state);
    expect(retry.map((response) => response.status), `${where}: the same operation without the fault succeeds (${retry.map((r) => r.raw.toString().slice(0, 200)).join(' | ')})`)
      .to.satisfy((statuses: number[]) => statuses.every((status) => status < 400));
    expect(await path.applied(client, run.state), `${where}: the retry took effect`).to.equal(true);
  }
  return swept;
}
