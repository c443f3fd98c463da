import type { DependencyContainer } from 'tsyringe';
import { Tokens, type Token } from '../../../src/adapters/di/tokens';
import { storageUnavailable } from '../../../src/adapters/storage/s3/s3-bucket';
import type { AuditEntry } from '../../../src/domain/audit';
import type { StoredBlob } from '../../../src/ports/blob-store.port';

/**
 * How the N-th port call misbehaves:
 * - `fail`: rejects at once with an I/O error, as a local disk that failed a write does;
 * - `throttle`: rejects with what the S3 adapters make of S3's `SlowDown` (503, retry later);
 * - `timeout`: rejects after a delay with what the S3 adapters make of a request timeout;
 * - `hang`: never settles — for tests of what a stuck store does to everything else.
 */
export type FaultMode = 'fail' | 'throttle' | 'timeout' | 'hang';
export const SETTLING_MODES: readonly FaultMode[] = ['fail', 'throttle', 'timeout'];

/** One port call as the plan saw it: which port, which method, and whether the fault struck it. */
export interface PortCall {
  readonly index: number;
  readonly port: string;
  readonly method: string;
  readonly faulted: boolean;
}

const TIMEOUT_DELAY_MS = 25;

function injectedError(mode: FaultMode, call: PortCall): Error {
  const what = `${call.port}.${call.method} (call ${call.index})`;
  if (mode === 'fail') return Object.assign(new Error(`EIO: injected i/o error in ${what}`), { code: 'EIO', syscall: 'write', injected: true });
  const sdkName = mode === 'throttle' ? 'SlowDown' : 'TimeoutError';
  const sdk = Object.assign(new Error(`injected ${sdkName} in ${what}`), { name: sdkName, $metadata: mode === 'throttle' ? { httpStatusCode: 503 } : {} });
  return Object.assign(storageUnavailable(sdk, 'injected'), { injected: true });
}

/** Where a sweep's faults come from: numbers the calls of a run and makes the `at`-th misbehave. */
export interface FaultInjector {
  arm(at?: number, mode?: FaultMode): void;
  disarm(): void;
  readonly calls: readonly PortCall[];
  readonly struck: PortCall | undefined;
  /** The faults strike below a client that retries (the AWS SDK): a run may succeed despite one. */
  readonly belowRetries?: boolean;
}

/**
 * Counts the calls every wrapped port receives while armed, in one sequence across ports, and makes
 * the call at `faultAt` misbehave. Successful audit appends are kept, so a test can tell which
 * operations the trail claims happened.
 */
export class FaultPlan implements FaultInjector {
  private armed = false;
  private faultAt: number | undefined;
  private mode: FaultMode = 'fail';
  private readonly hanging = new Set<() => void>();
  calls: PortCall[] = [];
  appended: AuditEntry[] = [];
  /** Every digest a put returned, armed or not: where a store cannot be listed, these are probed. */
  readonly stored = new Set<string>();

  /** Starts counting from zero; `at` undefined counts without faulting (the clean run). */
  arm(at?: number, mode: FaultMode = 'fail'): void {
    this.armed = true;
    this.faultAt = at;
    this.mode = mode;
    this.calls = [];
    this.appended = [];
  }

  disarm(): void {
    this.armed = false;
    this.faultAt = undefined;
  }

  /** The call the fault struck, if the sequence reached it. */
  get struck(): PortCall | undefined {
    return this.calls.find((call) => call.faulted);
  }

  /** Lets calls stuck in `hang` mode fail, so a test can end. */
  releaseHanging(): void {
    for (const release of this.hanging) release();
    this.hanging.clear();
  }

  /** Runs one port call through the plan. */
  invoke<T>(port: string, method: string, run: () => Promise<T>): Promise<T> {
    if (!this.armed) return run();
    const index = this.calls.length + 1;
    const faulted = index === this.faultAt;
    const call: PortCall = { index, port, method, faulted };
    this.calls.push(call);
    if (!faulted) return run();
    const error = injectedError(this.mode, call);
    if (this.mode === 'fail' || this.mode === 'throttle') return Promise.reject(error);
    if (this.mode === 'timeout') return new Promise((_, fail) => setTimeout(() => fail(error), TIMEOUT_DELAY_MS));
    return new Promise((_, fail) => {
      this.hanging.add(() => fail(error));
    });
  }
}

const isPlainObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) !== null && !(value instanceof Promise);

/**
 * A port whose every method goes through the plan. Nested capability objects (the repository's
 * `textIndex`) are wrapped too; an absent optional method stays absent.
 */
export function faultyPort<T extends object>(inner: T, port: string, plan: FaultPlan, onResult?: (method: string, args: unknown[], result: unknown) => void): T {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value === 'function') {
        const method = String(property);
        return (...args: unknown[]) => plan.invoke(port, method, async () => {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          onResult?.(method, args, result);
          return result;
        });
      }
      if (property === 'textIndex' && isPlainObject(value)) return faultyPort(value, `${port}.textIndex`, plan);
      return value;
    },
  });
}

/** The storage ports on the write paths; the names are what `PortCall.port` reports. */
const PORTS: readonly (readonly [string, Token<object>])[] = [
  ['ArtifactRepository', Tokens.ArtifactRepository],
  ['BlobStore', Tokens.BlobStore],
  ['AuditLog', Tokens.AuditLog],
  ['TokenStore', Tokens.TokenStore],
  ['UserStore', Tokens.UserStore],
];

/**
 * Replaces each storage port of a container with a faulty wrapper over the adapter it resolved to.
 * Call from `configure`, before anything resolves the ports; the originals are returned so a test
 * can inspect the store behind the faults.
 */
export function installPortFaults(container: DependencyContainer, plan: FaultPlan): Map<string, object> {
  const originals = new Map<string, object>();
  for (const [name, token] of PORTS) {
    const inner = container.resolve<object>(token);
    originals.set(name, inner);
    container.register(token, { useValue: faultyPort(inner, name, plan, (method, args, result) => {
      if (name === 'AuditLog' && method === 'append') plan.appended.push(args[0] as AuditEntry);
      if (name === 'AuditLog' && method === 'appendAll') plan.appended.push(...(args[0] as AuditEntry[]));
      if (name === 'BlobStore' && method === 'put') plan.stored.add((result as StoredBlob).sha256);
    }) });
  }
  return originals;
}

/** The methods of each storage port that write: on a read-only disk, every one of them fails. */
export const WRITING_METHODS: Readonly<Record<string, readonly string[]>> = {
  ArtifactRepository: ['create', 'update', 'delete', 'commitGroup', 'clear'],
  BlobStore: ['put', 'delete', 'clear'],
  AuditLog: ['append', 'appendAll', 'clear'],
  // Spending a token use is a write: on a read-only disk no authenticated request gets through.
  TokenStore: ['issue', 'consume', 'revoke', 'revokeUser', 'clear'],
  UserStore: ['save', 'delete', 'clear'],
};

/** What a write to a read-only file system fails with, as node:fs reports it. */
export const readOnlyError = (what: string): Error =>
  Object.assign(new Error(`EROFS: read-only file system, ${what}`), { code: 'EROFS', errno: -30, syscall: 'open' });

/**
 * Installs wrappers whose writing methods fail with EROFS while `readOnly()` holds: the data directory
 * made read-only, for tests that run as root (for whom chmod changes nothing).
 */
export function installReadOnlySwitch(container: DependencyContainer, readOnly: () => boolean): void {
  for (const [name, token] of PORTS) {
    const inner = container.resolve<object>(token);
    const writes = WRITING_METHODS[name] ?? [];
    container.register(token, {
      useValue: new Proxy(inner, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (typeof value !== 'function') return value;
          const method = String(property);
          return (...args: unknown[]) => (readOnly() && writes.includes(method)
            ? Promise.reject(readOnlyError(`${name}.${method}`))
            : (value as (...a: unknown[]) => unknown).apply(target, args));
        },
      }),
    });
  }
}
