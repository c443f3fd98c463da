import type { IncomingHttpHeaders } from 'node:http';

/** A request as the route handlers see it: body already read, URL already parsed. */
export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A complete response; the server writes it (or mangles it, when a fault says so). HEAD drops the body. */
export interface FakeResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export const jsonResponse = (status: number, value: unknown, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(value)),
});

export const redirect = (status: 301 | 302 | 307, location: string, headers: Record<string, string> = {}): FakeResponse => ({
  status,
  headers: { location, 'content-type': 'text/plain; charset=utf-8', ...headers },
  body: Buffer.from(`${status === 301 ? 'Moved Permanently' : status === 302 ? 'Found' : 'Temporary Redirect'}. Redirecting to ${location}`),
});

/** Parses a single `bytes=` range; multiple ranges are answered with the whole body, as RFC 9110 allows. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  const [first, last] = [match[1] ?? '', match[2] ?? ''];
  if (first === '') {
    const suffix = Number(last);
    return suffix === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  return start >= size || end < start ? 'unsatisfiable' : { start, end };
}

/** Serves bytes the way the Hub and its CDN do: ETag, Accept-Ranges, 206 for a range, 304 for a matching ETag. */
export function bytesResponse(request: FakeRequest, content: Buffer, headers: Record<string, string> & { etag: string }): FakeResponse {
  const base = { 'accept-ranges': 'bytes', ...headers };
  if (request.headers['if-none-match'] === headers.etag) return { status: 304, headers: base, body: Buffer.alloc(0) };
  const range = parseRange(request.headers.range, content.length);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'content-range': `bytes */${content.length}` }, body: Buffer.alloc(0) };
  }
  if (!range) return { status: 200, headers: base, body: content };
  const contentRange = `bytes ${range.start}-${range.end}/${content.length}`;
  return { status: 206, headers: { ...base, 'content-range': contentRange }, body: content.subarray(range.start, range.end + 1) };
}

export const bearerToken = (request: FakeRequest): string | undefined => /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];
