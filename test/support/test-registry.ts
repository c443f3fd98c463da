import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { CONTRACT_ADMIN_PASSWORD, loadConfig, type Config } from '../../src/config';
import { startServer, type RunningServer } from '../../src/adapters/http/server';
import { Tokens } from '../../src/adapters/di/tokens';
import { Argon2PasswordHasher } from '../../src/adapters/system/system-adapters';
import type { Clock } from '../../src/ports/system.port';
import type { UserStore } from '../../src/ports/user-store.port';

export const ADMIN = 'ece30861defaultadminuser';
export const CLOSED_UPSTREAM = 'http://127.0.0.1:9';
export const ADMIN_PASSWORD = CONTRACT_ADMIN_PASSWORD;

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly raw: Buffer;
}

export class ManualClock implements Clock {
  constructor(private current = new Date('2026-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface TestRegistry {
  readonly url: string;
  readonly container: DependencyContainer;
  readonly dataDir: string;
  readonly running: RunningServer;
  token(): Promise<string>;
  request<T = unknown>(method: string, path: string, init?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface RequestOptions {
  readonly json?: unknown;
  readonly body?: Buffer | FormData;
  readonly contentType?: string;
  /** `null` sends no X-Authorization header; a string sends exactly that. Default: the admin token. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

export interface TestRegistryOptions {
  readonly storage?: 'memory' | 'local' | 's3';
  readonly dataDir?: string;
  readonly env?: Record<string, string>;
  readonly config?: Partial<Config>;
  readonly clock?: Clock;
  /** On by default: every JSON response is checked against the OpenAPI document. Benchmarks turn it off, as production does. */
  readonly validateResponses?: boolean;
  /** Replaces registrations after the test defaults (a store over a full disk, for instance). */
  readonly configure?: (container: DependencyContainer) => void;
}

/**
 * A real registry over real HTTP on a free loopback port, with every JSON response checked against
 * the OpenAPI document. Password hashing runs at a low cost: the algorithm is the production one.
 */
export async function startTestRegistry(options: TestRegistryOptions = {}): Promise<TestRegistry> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'tmr-api-')));
  const config: Config = {
    ...loadConfig({
      TMR_STORAGE: options.storage ?? 'memory',
      TMR_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
      // Port 9 on loopback refuses connections: a test that forgets its fake upstream fails fast
      // instead of reaching the internet.
      HF_ENDPOINT: CLOSED_UPSTREAM,
      GITHUB_API_URL: CLOSED_UPSTREAM,
      TMR_UPSTREAM_TIMEOUT_MS: '2000',
      ...options.env,
    }),
    ...options.config,
  };
  const running = await startServer(config, {
    validateResponses: options.validateResponses ?? true,
    configure: (container) => {
      container.register(Tokens.PasswordHasher, { useValue: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }) });
      if (options.clock !== undefined) container.register(Tokens.Clock, { useValue: options.clock });
      options.configure?.(container);
    },
  });
  let adminToken: string | undefined;
  const registry: TestRegistry = {
    url: running.url,
    container: running.container,
    dataDir,
    running,
    token: async () => {
      adminToken ??= await login(running.url, ADMIN, ADMIN_PASSWORD);
      return adminToken;
    },
    request: async <T>(method: string, path: string, init: RequestOptions = {}) => {
      const token = init.token === undefined ? await registry.token() : init.token;
      return send<T>(running.url, method, path, { ...init, token });
    },
    close: async () => {
      await running.close();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return registry;
}

export async function login(url: string, name: string, password: string): Promise<string> {
  const response = await send<string>(url, 'PUT', '/authenticate', {
    json: { user: { name, is_admin: name === ADMIN }, secret: { password } },
    token: null,
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.raw.toString()}`);
  return response.body;
}

export async function send<T>(url: string, method: string, path: string, init: RequestOptions & { token: string | null }): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers['X-Authorization'] = init.token;
  let body: Buffer | FormData | string | undefined = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['Content-Type'] = 'application/json';
  }
  if (init.contentType !== undefined) headers['Content-Type'] = init.contentType;
  const response = await fetch(`${url}${path}`, { method, headers, body: body as NonNullable<RequestInit["body"]> | undefined });
  const raw = Buffer.from(await response.arrayBuffer());
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, headers: response.headers, raw, body: (isJson && raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined) as T };
}

/** Creates a non-admin user directly in the store (there is no user-management route yet) and logs in. */
export async function addUser(
  registry: TestRegistry,
  name: string,
  password: string,
  permissions: ('upload' | 'search' | 'download')[],
): Promise<string> {
  const hasher = new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 });
  await registry.container.resolve<UserStore>(Tokens.UserStore).save({ name, isAdmin: false, permissions, passwordHash: await hasher.hash(password) });
  return login(registry.url, name, password);
}
