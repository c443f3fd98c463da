import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type {} from 'multer';
import { DomainError, ErrorCode } from '../../domain/errors';
import { asStorageError, type DiskSpace } from '../system/disk-space';

export interface StagedUpload {
  readonly path: string;
  readonly filename?: string;
  /** Form fields sent beside a multipart file. */
  readonly fields: Record<string, string>;
}

const tooLarge = (limit: number): DomainError =>
  new DomainError(ErrorCode.PayloadTooLarge, `the upload is larger than the ${limit}-byte limit (TMR_MAX_UPLOAD_BYTES)`);

/**
 * The temporary files one request owns. They are removed once the response has closed *and* no
 * work still reads them: a client that hangs up mid-processing must not pull a file from under the
 * use case, and a request that fails before any route (bad path, wrong field name, no permission)
 * must not leave its multipart file behind.
 */
class RequestFiles {
  private readonly paths = new Set<string>();
  private holds = 0;
  private closed = false;

  constructor(private readonly req: Request) {}

  add(path: string): void {
    this.paths.add(path);
  }

  hold(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      this.removeIfDone();
    };
  }

  responseClosed(): void {
    this.closed = true;
    this.removeIfDone();
  }

  private removeIfDone(): void {
    if (!this.closed || this.holds > 0) return;
    for (const file of multerFiles(this.req)) this.paths.add(file.path);
    for (const path of this.paths) void rm(path, { force: true });
    this.paths.clear();
  }
}

const filesOf = (res: Response): RequestFiles | undefined => res.locals.requestFiles as RequestFiles | undefined;

/** Gives every request an owner for its temporary files; mounted before anything can write one. */
export const ownRequestFiles: RequestHandler = (req, res, next) => {
  const files = new RequestFiles(req);
  res.locals.requestFiles = files;
  res.once('close', () => files.responseClosed());
  next();
};

/**
 * Runs work that reads the request's staged upload; the file outlives the response until it ends.
 * Use it around every use case given `StagedUpload.path`.
 */
export async function whileStaged<T>(res: Response, work: () => Promise<T>): Promise<T> {
  const release = filesOf(res)?.hold();
  try {
    return await work();
  } finally {
    release?.();
  }
}

/**
 * Puts an uploaded zip on local disk — streamed, never buffered — because zip reading needs random
 * access. A raw `application/zip` body is written here; a multipart file was already written by the
 * validator's multer. Either way the file belongs to the request (see `RequestFiles`).
 */
export function uploadStaging(uploadDir: string, maxBytes: number, space?: DiskSpace): RequestHandler {
  return (req, res, next) => {
    const multipart = multerFiles(req).find((file) => file.fieldname === 'file');
    if (multipart !== undefined) {
      res.locals.upload = { path: multipart.path, filename: multipart.originalname, fields: stringFields(req.body) } satisfies StagedUpload;
      next();
      return;
    }
    if (!req.is('application/zip')) {
      next();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes) {
      next(tooLarge(maxBytes));
      return;
    }
    const path = join(uploadDir, `${randomUUID()}.zip`);
    const files = filesOf(res);
    files?.add(path);
    // Held until the write has settled: a file opened after a hang-up's clean-up would outlive it.
    const release = files?.hold();
    let received = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(received > maxBytes ? tooLarge(maxBytes) : null, chunk);
      },
    });
    pipeline(req, limiter, createWriteStream(path)).then(
      () => {
        res.locals.upload = { path, fields: {} } satisfies StagedUpload;
        // Routes take their own hold synchronously (whileStaged), so the file is never unowned.
        next();
        release?.();
      },
      (error: unknown) => {
        release?.();
        // The rest of an oversized body is not worth reading; closing after the answer frees the socket.
        if (error instanceof DomainError) res.setHeader('Connection', 'close');
        next(asStorageError(error, space));
      },
    );
  };
}

function multerFiles(req: Request): Express.Multer.File[] {
  const files = req.files;
  if (Array.isArray(files)) return files;
  if (typeof files === 'object' && files !== null) return Object.values(files).flat();
  return [];
}

function stringFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && value !== '') fields[key] = value;
  return fields;
}
