import { isAbsolute, resolve } from 'node:path';

export type StorageKind = 'memory' | 'local' | 's3';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface Config {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  /** Base URL clients reach the registry at (links in answers are built on it); absent: the listening address. */
  readonly publicUrl?: string;
  readonly storage: StorageKind;
  readonly dataDir: string;
  readonly adminPassword: string;
  readonly logLevel: LogLevel;
  /** Largest accepted upload body, in bytes. */
  readonly maxUploadBytes: number;
  readonly ingestMinScore: number;
  /** Limits of a sensitive model's pre-download program. */
  readonly hookTimeoutMs: number;
  readonly hookMemoryMb: number;
  /** The Hub-compatible read API serves only models that meet the trust bar. */
  readonly hubApiTrustedOnly: boolean;
  readonly hfEndpoint: string;
  readonly hfToken?: string;
  readonly githubApiUrl: string;
  readonly githubToken?: string;
  /** Largest source the registry mirrors by URL, in bytes; larger ones are refused before downloading. */
  readonly maxIngestBytes: number;
  /** Time allowed for one upstream request (connect to last byte of headers), in milliseconds. */
  readonly upstreamTimeoutMs: number;
  /** `flag`: registration records the trust verdict; `enforce`: it refuses public models below the bar. */
  readonly registrationGate: 'flag' | 'enforce';
  readonly kaggleApiUrl: string;
  /** Both or neither: without them Kaggle datasets are registered by reference, never fetched. */
  readonly kaggle?: { readonly username: string; readonly key: string };
  /** Most client connections served at once; more are refused so descriptors cannot run out. */
  readonly maxConnections: number;
  /** Longest silence allowed from a client: while it sends headers or a body, or leaves a connection idle. */
  readonly idleTimeoutMs: number;
  /** Lifetime of a transaction: after it, nothing can be staged or committed and it is aborted by itself. */
  readonly transactionTtlMs: number;
  /** Content no record refers to is removed once it is older than this (writers in flight are safe anyway). */
  readonly sweepGraceMs: number;
  /** How often this process sweeps unused content, starting at start-up; 0: never (a scheduled function does). */
  readonly sweepIntervalMs: number;
  readonly s3?: S3Config;
}

export interface S3Config {
  readonly bucket: string;
  readonly region: string;
  /** For S3-compatible servers; absent means AWS itself. */
  readonly endpoint?: string;
  readonly forcePathStyle: boolean;
  /** Lifetime of presigned download URLs, in seconds. */
  readonly presignSeconds: number;
  /** DynamoDB table that counts token uses (one conditional write per call); absent: tokens live in the bucket. */
  readonly tokensTable?: string;
  /** For DynamoDB-compatible servers (dynalite); absent means AWS itself. */
  readonly dynamoDbEndpoint?: string;
}

/** The default admin's password as published in the API contract's example; override it in production. */
export const CONTRACT_ADMIN_PASSWORD = 'correcthorsebatterystaple123(!__+@**(A\'"`;DROP TABLE artifacts;';

export class ConfigError extends Error {
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The only reader of the environment. Reads every setting once, validates all of them and reports
 * every problem at once, so a misconfigured deployment fails at start-up rather than on first use.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = new Reader(env, problems);
  const production = env.NODE_ENV === 'production';
  const storage = read.oneOf('TMR_STORAGE', ['memory', 'local', 's3'] as const, 'local');
  const adminPassword = env.TMR_ADMIN_PASSWORD ?? (production ? undefined : CONTRACT_ADMIN_PASSWORD);
  if (adminPassword === undefined) problems.push('TMR_ADMIN_PASSWORD must be set when NODE_ENV=production');
  else if (adminPassword.length < 8) problems.push('TMR_ADMIN_PASSWORD must be at least 8 characters');
  const config: Config = {
    production,
    host: env.HOST ?? '127.0.0.1',
    port: read.integer('PORT', 3000, 0, 65535),
    ...optionalPublicUrl(env, problems),
    storage,
    dataDir: resolveDir(env.TMR_DATA_DIR ?? './data'),
    adminPassword: adminPassword ?? '',
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    maxUploadBytes: read.integer('TMR_MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1024, 64 * 1024 ** 3),
    ingestMinScore: read.number('TMR_INGEST_MIN_SCORE', 0.5, 0, 1),
    hookTimeoutMs: read.integer('TMR_HOOK_TIMEOUT_MS', 5_000, 100, 60_000),
    hookMemoryMb: read.integer('TMR_HOOK_MEMORY_MB', 64, 16, 1024),
    hubApiTrustedOnly: read.oneOf('TMR_HUB_API_TRUSTED_ONLY', ['true', 'false'] as const, 'false') === 'true',
    hfEndpoint: read.url('HF_ENDPOINT', 'https://huggingface.co'),
    githubApiUrl: read.url('GITHUB_API_URL', 'https://api.github.com'),
    ...(env.HF_TOKEN === undefined || env.HF_TOKEN === '' ? {} : { hfToken: env.HF_TOKEN }),
    ...(env.GITHUB_TOKEN === undefined || env.GITHUB_TOKEN === '' ? {} : { githubToken: env.GITHUB_TOKEN }),
    maxIngestBytes: read.integer('TMR_MAX_INGEST_BYTES', 5 * 1024 ** 3, 1024, 1024 ** 4),
    upstreamTimeoutMs: read.integer('TMR_UPSTREAM_TIMEOUT_MS', 30_000, 100, 600_000),
    registrationGate: read.oneOf('TMR_REGISTRATION_GATE', ['flag', 'enforce'] as const, 'flag'),
    kaggleApiUrl: read.url('KAGGLE_API_URL', 'https://www.kaggle.com/api/v1'),
    ...readKaggle(env, problems),
    maxConnections: read.integer('TMR_MAX_CONNECTIONS', 2048, 1, 1_000_000),
    idleTimeoutMs: read.integer('TMR_IDLE_TIMEOUT_MS', 60_000, 100, 3_600_000),
    transactionTtlMs: read.integer('TMR_TRANSACTION_TTL_MS', 3_600_000, 1_000, 7 * 24 * 3_600_000),
    sweepGraceMs: read.integer('TMR_SWEEP_GRACE_MS', 60 * 60 * 1000, 0, 30 * 24 * 60 * 60 * 1000),
    sweepIntervalMs: read.integer('TMR_SWEEP_INTERVAL_MS', 60 * 60 * 1000, 0, 7 * 24 * 60 * 60 * 1000),
    ...(storage === 's3' ? { s3: readS3(env, read, problems) } : {}),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function readKaggle(env: Env, problems: string[]): Pick<Config, 'kaggle'> {
  const username = env.KAGGLE_USERNAME ?? '';
  const key = env.KAGGLE_KEY ?? '';
  if (username === '' && key === '') return {};
  if (username === '' || key === '') {
    problems.push('KAGGLE_USERNAME and KAGGLE_KEY must be set together (or neither, to register Kaggle datasets by reference)');
    return {};
  }
  return { kaggle: { username, key } };
}

function readS3(env: Env, read: Reader, problems: string[]): S3Config {
  const bucket = env.S3_BUCKET ?? '';
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`S3_BUCKET must name a bucket (3-63 lowercase letters, digits, dots, dashes) when TMR_STORAGE=s3; got "${bucket}"`);
  }
  const endpoint = env.S3_ENDPOINT === undefined || env.S3_ENDPOINT === '' ? undefined : read.url('S3_ENDPOINT', '');
  return {
    bucket,
    region: env.AWS_REGION ?? 'us-east-1',
    ...(endpoint === undefined ? {} : { endpoint }),
    forcePathStyle: read.oneOf('S3_FORCE_PATH_STYLE', ['true', 'false'] as const, endpoint === undefined ? 'false' : 'true') === 'true',
    presignSeconds: read.integer('S3_PRESIGN_SECONDS', 300, 10, 3600),
    ...readTokensTable(env, read, problems),
  };
}

function readTokensTable(env: Env, read: Reader, problems: string[]): Pick<S3Config, 'tokensTable' | 'dynamoDbEndpoint'> {
  const table = env.TMR_TOKENS_TABLE ?? '';
  if (table === '') return {};
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(table)) problems.push(`TMR_TOKENS_TABLE must name a DynamoDB table (3-255 of A-Z a-z 0-9 _ . -); got "${table}"`);
  const endpoint = env.DYNAMODB_ENDPOINT === undefined || env.DYNAMODB_ENDPOINT === '' ? undefined : read.url('DYNAMODB_ENDPOINT', '');
  return { tokensTable: table, ...(endpoint === undefined ? {} : { dynamoDbEndpoint: endpoint }) };
}

/** A base for links: http(s), no credentials, query or fragment; a path prefix is kept, a trailing slash dropped. */
function optionalPublicUrl(env: Env, problems: string[]): { publicUrl?: string } {
  const raw = env.TMR_PUBLIC_URL;
  if (raw === undefined || raw === '') return {};
  try {
    const url = new URL(raw);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
    if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') throw new Error('extras');
    return { publicUrl: `${url.origin}${url.pathname}`.replace(/\/+$/, '') };
  } catch {
    problems.push(`TMR_PUBLIC_URL must be an http(s) URL without credentials, query or fragment, such as https://registry.example.com; got "${raw}"`);
    return {};
  }
}

const resolveDir = (dir: string): string => (isAbsolute(dir) ? dir : resolve(dir));

class Reader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.number(name, fallback, min, max);
    if (!Number.isInteger(value)) this.problems.push(`${name} must be a whole number`);
    return value;
  }

  number(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      this.problems.push(`${name} must be a number between ${min} and ${max}; got "${raw}"`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T, explained: Record<string, string> = {}): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if ((allowed as readonly string[]).includes(raw)) return raw as T;
    this.problems.push(explained[raw] ?? `${name} must be one of ${allowed.join(', ')}; got "${raw}"`);
    return fallback;
  }

  url(name: string, fallback: string): string {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      const url = new URL(raw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
      return raw.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} must be an http(s) URL; got "${raw}"`);
      return fallback;
    }
  }
}
