import type { FixtureSet } from './fixtures';
import { jsonResponse, type FakeResponse } from './http-kit';

/** Where LFS downloads go: the Hub's CDN on the same fake, a CDN on another origin, or no redirect at all. */
export type LfsRedirect = 'same-origin' | 'foreign' | 'none';

export interface HubOptions {
  /** The token gated repositories accept as `Authorization: Bearer …`. */
  token: string;
  treePageSize: number;
  lfsRedirect: LfsRedirect;
  /** The real Hub answers 401 for unknown repos when no token is sent; the brief asks for 404. */
  repoNotFoundStatus: 401 | 404;
}

export interface HubContext {
  readonly fixtures: FixtureSet;
  readonly hfUrl: string;
  readonly foreignUrl: string;
  readonly options: HubOptions;
}

export const hubError = (status: number, code: string, message: string): FakeResponse =>
  jsonResponse(status, { error: message }, { 'x-error-code': code, 'x-error-message': message });

export const revisionNotFound = (revision: string): FakeResponse => hubError(404, 'RevisionNotFound', `Invalid rev id: ${revision}`);

