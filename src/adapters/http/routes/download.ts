import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { Download } from '../../../application/download-package.use-case';

/**
 * Streams a stored bundle with everything a client needs to verify it: length, sha256 in hex and
 * in the RFC 9530 `Repr-Digest` form, and the digest as a strong ETag.
 */
export async function sendDownload(res: Response, download: Download): Promise<void> {
  if (download.kind === 'external') {
    // Not mirrored: the source's own page is where the content is.
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, download.url);
    return;
  }
  const { bundle } = download;
  if (download.kind === 'redirect') {
    // The store serves the bytes itself; the digests still come from us so the client can verify them.
    res.setHeader('X-Content-SHA256', bundle.sha256);
    res.setHeader('Cache-Control', 'no-store');
    res.redirect(302, download.url);
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', 'application/zip');
  res.setHeader('Content-Length', String(bundle.size));
  res.setHeader('Content-Disposition', `attachment; filename="${download.filename}"`);
  res.setHeader('ETag', `"${bundle.sha256}"`);
  res.setHeader('X-Content-SHA256', bundle.sha256);
  res.setHeader('Repr-Digest', `sha-256=:${Buffer.from(bundle.sha256, 'hex').toString('base64')}:`);
  res.setHeader('Cache-Control', 'private, max-age=0, must-revalidate');
  await pipeline(download.content, res);
}
