import type { Request, Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Download } from '../../../application/download-package.use-case';
import type { SendsItself } from '../../../ports/blob-store.port';
import { ifRangeHolds, noneMatchHits, parseRange } from '../byte-range';

/**
 * Streams a stored bundle with everything a client needs to verify it: length, sha256 in hex and
 * in the RFC 9530 `Repr-Digest` form, and the digest as a strong ETag. The digest names the bytes
 * for ever, so a client holding them is answered 304, and a broken transfer resumes with `Range`.
 */
export async function sendDownload(req: Request, res: Response, download: Download): Promise<void> {
  if (download.kind === 'external') {
    // Not mirrored: the source's own page is where the content is.
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, download.url);
    return;
  }
  const { bundle } = download;
  const etag = `"${bundle.sha256}"`;
  res.setHeader('ETag', etag);
  res.setHeader('X-Content-SHA256', bundle.sha256);
  if (noneMatchHits(req.headers['if-none-match'], etag)) {
    res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
    res.status(304).end();
    return;
  }
  if (download.kind === 'redirect') {
    // The store serves the bytes itself (and honours Range there); the digests still come from us.
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, download.url);
    return;
  }
  const wanted = ifRangeHolds(req.get('if-range'), etag) ? parseRange(req.headers.range, bundle.size) : { kind: 'whole' as const };
  if (wanted.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${bundle.size}`);
    throw Object.assign(new Error(`the requested range is outside the ${bundle.size} bytes of this package`), { status: 416 });
  }
  // Opened before the status line, so a missing blob is still answered with a proper error.
  const content = await download.open(wanted.kind === 'partial' ? wanted.range : undefined);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Disposition', `attachment; filename="${download.filename}"`);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(bundle.sha256, 'hex').toString('base64')}:`);
  res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
  if (wanted.kind === 'partial') {
    const { start, end } = wanted.range;
    res.status(206);
    res.setHeader('Content-Range', `bytes ${start}-${end}/${bundle.size}`);
    res.setHeader('Content-Length', String(end - start + 1));
  } else {
    res.status(200);
    res.setHeader('Content-Length', String(bundle.size));
  }
  // Local files send themselves through reused buffers (file-sender.ts); anything else is piped.
  const direct = content as Partial<SendsItself>;
  if (typeof direct.sendTo === 'function') await direct.sendTo(res);
  else await pipeline(content, res);
}
