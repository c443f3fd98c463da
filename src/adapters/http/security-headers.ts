import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Config } from '../../config';

/** What every page may do: load its own scripts, styles and images, call its own API, never be framed. */
const BASE_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  // The UI's favicon is a data: URL; saved downloads are blob: URLs.
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const;

type Policy = Record<keyof typeof BASE_POLICY, readonly string[]>;

const render = (policy: Policy): string =>
  Object.entries(policy).map(([directive, sources]) => `${directive} ${sources.join(' ')}`).join('; ');

/**
 * Where a browser fetching a download ends up. In S3 mode a download is a 302 to a presigned URL on
 * the bucket's own origin, which the UI follows to verify the bytes; `connect-src` must allow it.
 */
export function downloadOrigins(config: Pick<Config, 's3'>): string[] {
  const s3 = config.s3;
  if (s3 === undefined) return [];
  if (s3.endpoint !== undefined) return [new URL(s3.endpoint).origin];
  return [`https://${s3.bucket}.s3.${s3.region}.amazonaws.com`, `https://${s3.bucket}.s3.amazonaws.com`];
}

/** The policy for the web UI and every API answer. */
export function contentSecurityPolicy(extraConnect: readonly string[] = []): string {
  return render({ ...BASE_POLICY, 'connect-src': [...BASE_POLICY['connect-src'], ...extraConnect] });
}

/** Swagger UI (under /docs) writes an inline <style> block and style attributes, and draws icons from data: URLs. */
export const DOCS_POLICY = render({ ...BASE_POLICY, 'style-src': ["'self'", "'unsafe-inline'"] });

export const REFERRER_POLICY = 'no-referrer';

/**
 * Security headers on every response, UI files, docs, API answers and errors alike: a CSP that
 * forbids framing (clickjacking) and foreign scripts, no MIME sniffing (an uploaded file served as
 * a zip is never run as a script), and no Referer leaking artifact URLs to other sites.
 */
export function securityHeaders(config: Pick<Config, 's3'>): RequestHandler {
  const write = securityHeaderWriter(config);
  return (req, res, next) => {
    write(req.path, res);
    next();
  };
}

/** The same headers for a response answered outside Express (the short route of hot-reads.ts). */
export function securityHeaderWriter(config: Pick<Config, 's3'>): (path: string, res: ServerResponse) => void {
  const policy = contentSecurityPolicy(downloadOrigins(config));
  return (path, res) => {
    res.setHeader('Content-Security-Policy', path === '/docs' || path.startsWith('/docs/') ? DOCS_POLICY : policy);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', REFERRER_POLICY);
    res.setHeader('X-Frame-Options', 'DENY');
  };
}
