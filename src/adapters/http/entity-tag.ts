import { hash } from 'node:crypto';

/**
 * The weak ETag Express gives a JSON answer (the `etag` module's: the body's length in hex and the
 * first 27 characters of its base64 SHA-1), made with one-shot `hash` rather than a Hash object,
 * which cost more than hashing a small body. Both routes of a read use it, so their tags agree.
 */
export function weakTag(body: string | Buffer): string {
  const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
  if (length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  return `W/"${length.toString(16)}-${hash('sha1', body, 'base64').slice(0, 27)}"`;
}
