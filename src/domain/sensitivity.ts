import { invalidInput } from './errors';

/** Largest pre-download program accepted; real ones are a few dozen lines. */
export const MAX_HOOK_SOURCE_BYTES = 64 * 1024;

/**
 * A sensitive model carries one JavaScript program that runs before every download of it and decides,
 * from the model's name, its uploader, the downloader and the package, whether the download goes ahead.
 */
export interface Sensitivity {
  readonly hookSource: string;
  readonly hookSha256: string;
  readonly setBy: string;
  readonly setAt: string;
}

export function parseHookSource(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw invalidInput('send {"hook": "<JavaScript source>"}: the program must be a non-empty string');
  if (Buffer.byteLength(raw, 'utf8') > MAX_HOOK_SOURCE_BYTES) throw invalidInput(`the program is over ${MAX_HOOK_SOURCE_BYTES} bytes`);
  if (raw.includes('\u0000')) throw invalidInput('the program contains a NUL character');
  return raw;
}
