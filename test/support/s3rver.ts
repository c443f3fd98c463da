import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { mkdir, mkdtemp, rm, unlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../../src/config';

/*
 * s3rver, the S3-compatible server the S3 adapters are tested against, made a little more like S3:
 *   - conditional writes: If-None-Match: * and If-Match: <etag> on PUT, copy, complete-multipart
 *     and DELETE answer 412 (and If-Match on a missing key 404), checked and applied atomically;
 *   - requests on one key are serialised, so a reader never sees a half-written object;
 *   - AbortMultipartUpload works (s3rver answers 405);
 *   - deletes leave empty directories alone (s3rver's cleanup races with concurrent writes);
 *   - a PUT is answered only once its bytes are in the file (s3rver answers when it has read them,
 *     so a GET right after could read a file still being written: empty JSON, now and then).
 * It can also misbehave on purpose (faults) and be stopped and restarted on the same port.
 */

const load = createRequire(__filename);

interface KoaContext {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, unknown>;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  status: number;
  body: unknown;
  respond: boolean;
  get(header: string): string;
  set(header: string, value: string): void;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;

interface FilesystemStore {
  existsObject(bucket: string, key: string): Promise<boolean>;
  getMetadata(bucket: string, key: string): Promise<{ etag: string; 'content-length': number }>;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getObject(bucket: string, key: string, options?: { start?: number; end?: number }): Promise<{ content: Readable } | null>;
  putBucket(bucket: string): Promise<unknown>;
  putObject(object: unknown): Promise<unknown>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

interface S3rverApp {
  readonly middleware: Middleware[];
  readonly store: FilesystemStore;
  callback(): RequestListener;
  on(event: 'error', listener: () => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverApp;
type S3ErrorConstructor = new (code: string, message: string, detail?: Record<string, string>) => Error;
type S3ObjectConstructor = new (bucket: string, key: string, content: Buffer, metadata: Record<string, string>) => unknown;

export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly query: Record<string, unknown>;
}

/**
 * What a faulty request suffers: `stop` takes the whole server down (as if S3 vanished mid-request),
 * `lose-answer` carries the request out but drops the connection instead of answering, `error`
 * answers 503, `hang` never answers.
 */
export type FaultAction = 'stop' | 'lose-answer' | 'error' | 'hang';

export interface Fault {
  /** Settles once the fault has struck. */
  readonly struck: Promise<void>;
  /** Stops striking (faults strike `times` times, default once). */
  clear(): void;
}

export interface LocalS3 {
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** Every request the server received, oldest first. */
  readonly requests: S3Request[];
  /** A fresh, empty bucket. */
  newBucket(): Promise<string>;
  /** Writes objects straight into the server's store, skipping HTTP: for setting up large buckets fast. */
  seed(bucket: string, objects: readonly { key: string; body: string }[]): Promise<void>;
  config(bucket: string): S3Config;
  /** Environment for `loadConfig` (and the AWS SDK) to use this server and bucket. */
  env(bucket: string): Record<string, string>;
  /** A plain client for looking at what the adapters stored. */
  client(): S3Client;
  fail(when: (request: S3Request) => boolean, action: FaultAction, times?: number): Fault;
  /** Refuses connections from now on, as an unreachable endpoint does. */
  stop(): Promise<void>;
  /** Serves again on the same port with the same data. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface LocalS3Options {
  readonly port?: number;
  /** Kept after close when given; a temporary directory, removed on close, otherwise. */
  readonly directory?: string;
  /** A bucket to create at start. */
  readonly bucket?: string;
}

export const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
const REGION = 'us-east-1';

let bucketCounter = 0;

export async function startLocalS3(options: LocalS3Options = {}): Promise<LocalS3> {
  const S3rver = load('s3rver') as S3rverConstructor;
  const S3Error = load('s3rver/lib/models/error') as S3ErrorConstructor;
  const S3Object = load('s3rver/lib/models/object') as S3ObjectConstructor;
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'tmr-s3rver-')));
  await mkdir(directory, { recursive: true });
  const app = new S3rver({ directory, silent: true, configureBuckets: [] });
  app.on('error', () => undefined);
  const store = app.store;
  store.deleteObject = async (bucket, key) => {
    await Promise.all(['object', 'object.md5', 'metadata.json'].map((resource) =>
      unlink(store.getResourcePath(bucket, key, resource)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      })));
  };

  store.putObject = async (object) => {
    const { bucket, key, content, metadata } = object as { bucket: string; key: string; content: Buffer | Readable; metadata: Record<string, string> };
    const path = store.getResourcePath(bucket, key, 'object');
    await mkdir(dirname(path), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(Buffer.isBuffer(content) ? Readable.from([content]) : content, measure, createWriteStream(path));
    const digest = md5.digest('hex');
    await store.putMetadata(bucket, key, metadata, digest);
    return { size, md5: digest };
  };

  const requests: S3Request[] = [];
  const faults: { when: (request: S3Request) => boolean; action: FaultAction; left: number; strike: () => void }[] = [];
  const locks = new KeyLocks();
  let server: Server | undefined;
  let port = options.port ?? 0;
  const hanging = new Set<ServerResponse>();

  const stop = async (): Promise<void> => {
    const running = server;
    server = undefined;
    if (running === undefined) return;
    for (const res of hanging) res.socket?.destroy();
    hanging.clear();
    const closed = new Promise<void>((done) => running.close(() => done()));
    running.closeAllConnections();
    await closed;
  };

  const gate: Middleware = async (ctx, next) => {
    const request = parseRequest(ctx);
    requests.push(request);
    const fault = faults.find((candidate) => candidate.left > 0 && candidate.when(request));
    if (fault !== undefined) {
      fault.left -= 1;
      fault.strike();
    }
    if (fault !== undefined && fault.action !== 'lose-answer') {
      if (fault.action === 'error') throw new S3Error('ServiceUnavailable', 'Please reduce your request rate.');
      ctx.respond = false;
      if (fault.action === 'hang') {
        hanging.add(ctx.res);
        return;
      }
      ctx.req.socket.destroy();
      await stop();
      return;
    }
    if (request.key === '') return next();
    const release = await locks.acquire(`${request.bucket}/${request.key}`);
    ctx.res.once('close', release);
    if (ctx.method === 'DELETE' && 'uploadId' in ctx.query) {
      await rm(join(store.getResourcePath(request.bucket, undefined, 'uploads'), String(ctx.query.uploadId)), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (isWrite(ctx)) await checkPreconditions(ctx, store, request, S3Error);
    if (ctx.method === 'GET' && ctx.get('range') === 'bytes=0-0') {
      await firstByte(ctx, store, request);
      return;
    }
    await next();
    if (fault?.action === 'lose-answer') {
      ctx.respond = false;
      ctx.req.socket.destroy();
    }
  };
  app.middleware.unshift(gate);
  const listener = app.callback();

  const start = async (): Promise<void> => {
    if (server !== undefined) return;
    const next = createServer(listener);
    await new Promise<void>((done, fail) => {
      next.once('error', fail);
      next.listen(port, '127.0.0.1', () => done());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  await start();
  if (options.bucket !== undefined) await store.putBucket(options.bucket);

  const savedEnv = { AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY };
  // The SDK's default credential chain reads these; without them it would go looking for an instance role.
  Object.assign(process.env, S3RVER_CREDENTIALS);
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];

  return {
    endpoint,
    port,
    region: REGION,
    requests,
    newBucket: async () => {
      bucketCounter += 1;
      const name = `tmr-test-${process.pid}-${bucketCounter}`;
      await store.putBucket(name);
      return name;
    },
    seed: async (bucket, objects) => {
      for (let start = 0; start < objects.length; start += 64) {
        await Promise.all(objects.slice(start, start + 64).map(({ key, body }) =>
          store.putObject(new S3Object(bucket, key, Buffer.from(body), { 'content-type': 'application/json' }))));
      }
    },
    config: (bucket) => ({ bucket, region: REGION, endpoint, forcePathStyle: true, presignSeconds: 300 }),
    env: (bucket) => ({ TMR_STORAGE: 's3', S3_BUCKET: bucket, S3_ENDPOINT: endpoint, AWS_REGION: REGION, ...S3RVER_CREDENTIALS }),
    client: () => {
      const client = new S3Client({
        region: REGION, endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED',
      });
      clients.push(client);
      return client;
    },
    fail: (when, action, times = 1) => {
      let strike: () => void = () => undefined;
      const struck = new Promise<void>((done) => {
        strike = done;
      });
      const fault = { when, action, left: times, strike };
      faults.push(fault);
      return { struck, clear: () => { fault.left = 0; } };
    },
    stop,
    start,
    close: async () => {
      await stop();
      clients.forEach((client) => client.destroy());
      for (const [name, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      if (ownsDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}

function parseRequest(ctx: KoaContext): S3Request {
  const [bucket = '', ...rest] = ctx.path.replace(/^\//, '').split('/');
  return { method: ctx.method, bucket: decodeURIComponent(bucket), key: decodeURIComponent(rest.join('/')), query: ctx.query };
}

/** Object writes that S3 evaluates conditions on: put, copy, complete-multipart, delete. */
function isWrite(ctx: KoaContext): boolean {
  const query = ctx.query;
  if (ctx.method === 'PUT') return !('uploadId' in query) && !('tagging' in query) && !('acl' in query);
  if (ctx.method === 'POST') return 'uploadId' in query;
  return ctx.method === 'DELETE';
}

const unquote = (etag: string): string => etag.replace(/"/g, '');

async function checkPreconditions(ctx: KoaContext, store: FilesystemStore, request: S3Request, S3Error: S3ErrorConstructor): Promise<void> {
  const ifNoneMatch = ctx.get('if-none-match');
  const ifMatch = ctx.get('if-match');
  if (ifNoneMatch === '' && ifMatch === '') return;
  const exists = await store.existsObject(request.bucket, request.key);
  if (ifNoneMatch === '*' && exists) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-None-Match' });
  }
  if (ifMatch === '') return;
  if (!exists) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: request.key });
  const current = unquote((await store.getMetadata(request.bucket, request.key)).etag);
  if (ifMatch !== '*' && unquote(ifMatch) !== current) {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', { Condition: 'If-Match' });
  }
}

/** s3rver reads a range ending at byte 0 as "to the end"; S3 answers with exactly one byte. */
async function firstByte(ctx: KoaContext, store: FilesystemStore, request: S3Request): Promise<void> {
  const object = await store.getObject(request.bucket, request.key);
  if (object === null) {
    ctx.status = 404;
    return;
  }
  const { etag, 'content-length': size } = await store.getMetadata(request.bucket, request.key);
  const chunks: Buffer[] = [];
  for await (const chunk of object.content) {
    chunks.push(chunk as Buffer);
    break;
  }
  object.content.destroy();
  ctx.status = 206;
  ctx.set('ETag', etag);
  ctx.set('Content-Range', `bytes 0-0/${size}`);
  ctx.body = Buffer.concat(chunks).subarray(0, 1);
}

/** One holder per key at a time; waiters are served in arrival order. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((done) => {
      release = done;
    });
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
