import { invalidInput } from './errors';

/**
 * Listing is keyset-paginated over ids (which sort by creation time), so a deep page costs the same
 * as the first and no single call can dump a huge registry. The cursor handed to clients is the id
 * after which the next page starts.
 */
export const PAGE_SIZE = 100;
/** Upper bound on records examined for one page when filters (such as versions) discard many. */
export const MAX_SCAN_PER_PAGE = 5_000;

const CURSOR_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function parseCursor(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '' || raw === '0') return undefined;
  if (!CURSOR_PATTERN.test(raw)) {
    throw invalidInput('offset must be a value returned in the "offset" header of a previous page');
  }
  return raw;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Present when more results may follow. */
  readonly next?: string;
}
