import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, RequestHandler, Response } from 'express';
import type {} from 'multer';
import { DomainError, ErrorCode } from '../../domain/errors';

export interface StagedUpload {
  readonly path: string;
  readonly filename?: string;
  /** Form fields sent beside a multipart file. */
  readonly fields: Record<string, string>;
}

export const UPLOAD_DIR = join(tmpdir(), 'tmr-uploads');

const tooLarge = (limit: number): DomainError =>
  new DomainError(ErrorCode.PayloadTooLarge, `the upload is larger than the ${limit}-byte limit (TMR_MAX_UPLOAD_BYTES)`);

/**
 * Puts an uploaded zip on local disk — streamed, never buffered — because zip reading needs random
 * access. A raw `application/zip` body is written here; a multipart file was already written by the
 * validator's multer. Either way the file is removed when the response ends.
 */
export function uploadStaging(maxBytes: number): RequestHandler {
  mkdirSync(UPLOAD_DIR, { recursive: true });
  return (req, res, next) => {
    const multipart = firstFile(req);
    if (multipart !== undefined) {
      removeAfterResponse(res, multipart.path);
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
    const path = join(UPLOAD_DIR, `${randomUUID()}.zip`);
    removeAfterResponse(res, path);
    let received = 0;
    const limiter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        callback(received > maxBytes ? tooLarge(maxBytes) : null, chunk);
      },
    });
    pipeline(req, limiter, createWriteStream(path))
      .then(() => {
        res.locals.upload = { path, fields: {} } satisfies StagedUpload;
        next();
      })
      .catch((error: unknown) => {
        // The rest of an oversized body is not worth reading; closing after the answer frees the socket.
        if (error instanceof DomainError) res.setHeader('Connection', 'close');
        next(error);
      });
  };
}

function firstFile(req: Request): Express.Multer.File | undefined {
  const files = req.files;
  if (Array.isArray(files)) return files.find((file) => file.fieldname === 'file');
  return undefined;
}

function stringFields(body: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof body !== 'object' || body === null) return fields;
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string' && value !== '') fields[key] = value;
  return fields;
}

function removeAfterResponse(res: Response, path: string): void {
  res.once('close', () => {
    void rm(path, { force: true });
  });
}
