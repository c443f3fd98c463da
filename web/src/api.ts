// The one client of the registry's REST API (openapi/openapi.yaml). Same-origin calls only; the
// token goes in X-Authorization. A 403 on an authenticated call means the token is no longer good:
// the session ends and the app returns to sign-in with a message.
import type {
  Artifact, ArtifactCost, CommittedTransaction, StagedItem, Transaction, ArtifactDetails, ArtifactMetadata, ArtifactQuery, ArtifactType, AuditEntry, DownloadHistoryEntry, ErrorBody,
  HealthComponents, HealthSummary, LicenseCheckReport, LineageGraph, ModelSensitivity, PackagePart, Page, PerformanceRun, PerformanceRunRequest,
  PermissionFlags, RatingExplanation, UserAccount,
} from './api-types';
import { currentToken, signOut } from './session';

export const SESSION_ENDED = 'Your session has ended: the sign-in token expired, was used up or was revoked. Sign in again to continue.';

/** A failed call: the HTTP status (0 when the registry could not be reached) and the error body. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static network(cause: unknown): ApiError {
    return new ApiError(0, 'NETWORK', cause instanceof Error ? cause.message : String(cause));
  }

  static fromBody(status: number, text: string): ApiError {
    try {
      const body = JSON.parse(text) as Partial<ErrorBody>;
      if (typeof body.code === 'string' && typeof body.message === 'string') return new ApiError(status, body.code, body.message, body.details, body.request_id);
    } catch {
      // Not our JSON error body (a proxy's HTML page, an empty body): fall through to a generic error.
    }
    return new ApiError(status, `HTTP.${status}`, text.trim().slice(0, 200));
  }
}

interface CallOptions {
  readonly json?: unknown;
  /** A zip sent as the raw body (application/zip). */
  readonly zip?: Blob;
  readonly authenticated?: boolean;
  readonly signal?: AbortSignal;
  /** A read only to show something the person did not ask for: the registry leaves it out of the audit trail. */
  readonly passive?: boolean;
}

function authHeader(): Record<string, string> {
  const token = currentToken();
  if (token === undefined) {
    signOut(SESSION_ENDED);
    throw new ApiError(403, 'AUTH.UNAUTHENTICATED', 'not signed in');
  }
  return { 'X-Authorization': token };
}

async function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
  const authenticated = options.authenticated ?? true;
  const headers: Record<string, string> = authenticated ? authHeader() : {};
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  if (options.zip !== undefined) headers['Content-Type'] = 'application/zip';
  if (options.passive === true) headers['X-Passive-View'] = 'true';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.json === undefined ? (options.zip ?? null) : JSON.stringify(options.json),
      signal: options.signal ?? null,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw ApiError.network(error);
  }
  if (!response.ok) throw failure(response.status, await response.text(), authenticated);
  return response;
}

function failure(status: number, text: string, authenticated: boolean): ApiError {
  const error = ApiError.fromBody(status, text);
  if (status === 403 && authenticated) signOut(SESSION_ENDED);
  return error;
}

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

async function page<T>(response: Response): Promise<Page<T>> {
  const nextOffset = response.headers.get('offset') ?? undefined;
  return { items: await json<T[]>(response), ...(nextOffset === undefined ? {} : { nextOffset }) };
}

/** Listing and searches answer 404 for "nothing matched"; to a person that is an empty result, not an error. */
async function pageOrEmpty<T>(load: () => Promise<Response>): Promise<Page<T>> {
  try {
    return await page<T>(await load());
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { items: [] };
    throw error;
  }
}

const offsetQuery = (offset?: string): string => (offset === undefined ? '' : `?offset=${encodeURIComponent(offset)}`);
const segment = encodeURIComponent;

export async function authenticate(name: string, password: string): Promise<string> {
  const response = await call('PUT', '/authenticate', {
    authenticated: false,
    json: { user: { name, is_admin: false }, secret: { password } },
  });
  return json<string>(response);
}

export const listArtifacts = (queries: ArtifactQuery[], offset?: string, signal?: AbortSignal): Promise<Page<ArtifactMetadata>> =>
  pageOrEmpty(() => call('POST', `/artifacts${offsetQuery(offset)}${offset === undefined ? '?' : '&'}include=trust`, { json: queries, ...(signal ? { signal } : {}) }));

export const findByName = (name: string, offset?: string): Promise<Page<ArtifactMetadata>> =>
  pageOrEmpty(() => call('GET', `/artifact/byName/${segment(name)}${offsetQuery(offset)}`));

export const findByRegex = (regex: string, offset?: string): Promise<Page<ArtifactMetadata>> =>
  pageOrEmpty(() => call('POST', `/artifact/byRegEx${offsetQuery(offset)}`, { json: { regex } }));

export const getArtifact = async (type: ArtifactType, id: string): Promise<Artifact> =>
  json<Artifact>(await call('GET', `/artifacts/${type}/${segment(id)}`));

export const getDetails = async (type: ArtifactType, id: string): Promise<ArtifactDetails> =>
  json<ArtifactDetails>(await call('GET', `/artifacts/${type}/${segment(id)}/details`));

/** `passive` when the page shows the trail on its own; a person pressing Refresh is a read worth recording. */
export const getAudit = async (type: ArtifactType, id: string, passive: boolean): Promise<AuditEntry[]> =>
  json<AuditEntry[]>(await call('GET', `/artifact/${type}/${segment(id)}/audit`, { passive }));

/** Opening a model's page shows its rating: a view, not a rating the person asked for, so it is not audited. */
export const explainRating = async (id: string): Promise<RatingExplanation> =>
  json<RatingExplanation>(await call('GET', `/artifact/model/${segment(id)}/rate/explain`, { passive: true }));

export const getLineage = async (id: string): Promise<LineageGraph> =>
  json<LineageGraph>(await call('GET', `/artifact/model/${segment(id)}/lineage?include=all`));

export const getCost = async (type: ArtifactType, id: string, withDependencies: boolean): Promise<ArtifactCost> =>
  json<ArtifactCost>(await call('GET', `/artifact/${type}/${segment(id)}/cost${withDependencies ? '?dependency=true' : ''}`));

export async function checkLicense(id: string, githubUrl: string, use: { commercial: boolean; distribute: boolean }): Promise<LicenseCheckReport> {
  const query = new URLSearchParams({ commercial: String(use.commercial), distribute: String(use.distribute) });
  return json<LicenseCheckReport>(await call('POST', `/artifact/model/${segment(id)}/license-check/explain?${query.toString()}`, { json: { github_url: githubUrl } }));
}

/** 201 with the artifact, or 202: stored, but hidden until its rating finishes. */
export type Registration = { kind: 'registered'; artifact: Artifact } | { kind: 'accepted' };

/** `vet`: the vetting path (`POST /artifact/ingest`, models only), which refuses a model below the bar. */
export async function registerUrl(type: ArtifactType, url: string, options: { name?: string; vet?: boolean }, signal?: AbortSignal): Promise<Registration> {
  const body = { url, ...(options.name ? { name: options.name } : {}) };
  const path = options.vet === true ? '/artifact/ingest' : `/artifact/${type}`;
  const response = await call('POST', path, { json: body, ...(signal ? { signal } : {}) });
  return response.status === 202 ? { kind: 'accepted' } : { kind: 'registered', artifact: await json<Artifact>(response) };
}

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
  /** `sending` while bytes go up; `processing` once all are sent and the registry checks and stores them. */
  readonly phase: 'sending' | 'processing';
}

export interface Upload {
  readonly done: Promise<Registration>;
  cancel(): void;
}

/**
 * Sends a zip as the raw body with XMLHttpRequest: fetch cannot report upload progress, XHR's
 * `upload.onprogress` can.
 */
export function uploadZip(type: ArtifactType, file: Blob, fields: { name?: string; version?: string }, onProgress: (progress: UploadProgress) => void): Upload {
  const xhr = new XMLHttpRequest();
  const query = new URLSearchParams();
  if (fields.name) query.set('name', fields.name);
  if (fields.version) query.set('version', fields.version);
  const done = new Promise<Registration>((resolve, reject) => {
    const headers = authHeader();
    xhr.open('POST', `/artifact/${type}${query.size > 0 ? `?${query.toString()}` : ''}`);
    xhr.setRequestHeader('Content-Type', 'application/zip');
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size, phase: 'sending' });
    xhr.upload.onload = () => onProgress({ loaded: file.size, total: file.size, phase: 'processing' });
    xhr.onerror = () => reject(ApiError.network(new Error('the connection to the registry failed during the upload')));
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    xhr.onload = () => {
      if (xhr.status === 202) return resolve({ kind: 'accepted' });
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ kind: 'registered', artifact: JSON.parse(xhr.responseText) as Artifact });
      reject(failure(xhr.status, xhr.responseText, true));
    };
    xhr.send(file);
  });
  return { done, cancel: () => xhr.abort() };
}

export interface DownloadedFile {
  readonly blob: Blob;
  readonly filename: string;
  /** The digest the registry announced in X-Content-SHA256 (absent if a redirect hid the header). */
  readonly announcedSha256?: string;
  /** The digest of the bytes received, computed in the browser (absent without WebCrypto). */
  readonly receivedSha256?: string;
}

function filenameFrom(disposition: string | null, fallback: string): string {
  const match = disposition === null ? null : /filename="?([^";]+)"?/i.exec(disposition);
  return match?.[1] ?? fallback;
}

async function sha256Hex(blob: Blob): Promise<string | undefined> {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function readWithProgress(response: Response, onProgress: (loaded: number, total: number | undefined) => void): Promise<Blob> {
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : undefined;
  if (response.body === null) return response.blob();
  const reader = response.body.getReader();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    onProgress(loaded, total);
  }
  return new Blob(chunks, { type: 'application/zip' });
}

/** Downloads through fetch (the route needs X-Authorization, which a plain link cannot send). */
export async function downloadPackage(
  artifact: ArtifactMetadata,
  part: PackagePart | undefined,
  onProgress: (loaded: number, total: number | undefined) => void,
): Promise<DownloadedFile> {
  const response = await call('GET', `/artifacts/${artifact.type}/${segment(artifact.id)}/download${part === undefined ? '' : `?part=${part}`}`);
  const blob = await readWithProgress(response, onProgress);
  const announced = response.headers.get('x-content-sha256') ?? undefined;
  const received = await sha256Hex(blob);
  const fallback = `${artifact.name}${part === undefined ? '' : `-${part}`}.zip`;
  return {
    blob,
    filename: filenameFrom(response.headers.get('content-disposition'), fallback),
    ...(announced === undefined ? {} : { announcedSha256: announced.toLowerCase() }),
    ...(received === undefined ? {} : { receivedSha256: received }),
  };
}

export async function resetRegistry(): Promise<void> {
  await call('DELETE', '/reset');
}

export const getHealth = async (): Promise<HealthSummary> => json<HealthSummary>(await call('GET', '/health', { authenticated: false }));

export const getHealthComponents = async (windowMinutes = 60): Promise<HealthComponents> =>
  json<HealthComponents>(await call('GET', `/health/components?windowMinutes=${windowMinutes}&includeTimeline=true`, { authenticated: false }));

export interface LogLine {
  readonly time: string;
  readonly level: string;
  readonly message: string;
  readonly requestId?: string;
  readonly method?: string;
  readonly url?: string;
  readonly status?: number;
  readonly durationMs?: number;
}

/** The registry's most recent log lines; administrators only. */
export const getRecentLogs = async (limit = 40): Promise<LogLine[]> =>
  (await json<{ entries: LogLine[] }>(await call('GET', `/logs/recent?limit=${limit}`))).entries;

/** Revokes this tab's token at the registry (sign out); the session ends here whatever the answer. */
export async function revokeToken(): Promise<void> {
  const token = currentToken();
  if (token === undefined) return;
  await fetch('/authenticate', { method: 'DELETE', headers: { 'X-Authorization': token }, cache: 'no-store' }).catch(() => undefined);
}

const userPath = (name: string, suffix = ''): string => `/users/${segment(name)}${suffix}`;

export const listUsers = async (): Promise<UserAccount[]> => json<UserAccount[]>(await call('GET', '/users'));

export const getUser = async (name: string): Promise<UserAccount> => json<UserAccount>(await call('GET', userPath(name)));

export const createUser = async (name: string, password: string, permissions: PermissionFlags): Promise<UserAccount> =>
  json<UserAccount>(await call('POST', '/users', { json: { name, password, permissions } }));

export const setUserPermissions = async (name: string, permissions: PermissionFlags): Promise<UserAccount> =>
  json<UserAccount>(await call('PUT', userPath(name, '/permissions'), { json: permissions }));

/** `currentPassword` when people change their own; administrators resetting someone else's leave it out. */
export async function setUserPassword(name: string, newPassword: string, currentPassword?: string): Promise<void> {
  await call('PUT', userPath(name, '/password'), { json: { new_password: newPassword, ...(currentPassword === undefined ? {} : { current_password: currentPassword }) } });
}

export async function deleteUser(name: string): Promise<void> {
  await call('DELETE', userPath(name));
}

export const getSensitivity = async (id: string): Promise<ModelSensitivity> =>
  json<ModelSensitivity>(await call('GET', `/artifacts/model/${segment(id)}/sensitivity`));

export const setSensitivity = async (id: string, hook: string): Promise<ModelSensitivity> =>
  json<ModelSensitivity>(await call('PUT', `/artifacts/model/${segment(id)}/sensitivity`, { json: { hook } }));

export const removeSensitivity = async (id: string): Promise<ModelSensitivity> =>
  json<ModelSensitivity>(await call('DELETE', `/artifacts/model/${segment(id)}/sensitivity`));

export const getDownloadHistory = async (id: string): Promise<DownloadHistoryEntry[]> =>
  json<DownloadHistoryEntry[]>(await call('GET', `/artifacts/model/${segment(id)}/download-history`));

/** Starts a load run against the registry; administrators only, one at a time (409 otherwise). */
export const startPerformanceRun = async (request: PerformanceRunRequest): Promise<PerformanceRun> =>
  json<PerformanceRun>(await call('POST', '/admin/performance-runs', { json: request }));

export const getPerformanceRun = async (id: string): Promise<PerformanceRun> =>
  json<PerformanceRun>(await call('GET', `/admin/performance-runs/${segment(id)}`));

/** The run in progress, if any, then finished runs, newest first. */
export const listPerformanceRuns = async (): Promise<PerformanceRun[]> =>
  (await json<{ runs: PerformanceRun[] }>(await call('GET', '/admin/performance-runs'))).runs;

// ---- Transactions: stage several changes, publish them together ----

export const openTransaction = async (): Promise<Transaction> => json<Transaction>(await call('POST', '/transactions'));

export const getTransaction = async (id: string): Promise<Transaction> => json<Transaction>(await call('GET', `/transactions/${segment(id)}`));

export const stageUrl = async (id: string, type: ArtifactType, url: string): Promise<StagedItem> =>
  json<StagedItem>(await call('POST', `/transactions/${segment(id)}/artifact/${type}`, { json: { url } }));

export async function stageZip(id: string, type: ArtifactType, zip: Blob, name?: string): Promise<StagedItem> {
  const query = name ? `?name=${encodeURIComponent(name)}` : '';
  return json<StagedItem>(await call('POST', `/transactions/${segment(id)}/artifact/${type}${query}`, { zip }));
}

export const stageReplacement = async (id: string, type: ArtifactType, artifactId: string, zip: Blob): Promise<StagedItem> =>
  json<StagedItem>(await call('PUT', `/transactions/${segment(id)}/artifacts/${type}/${segment(artifactId)}`, { zip }));

export const stageDeletion = async (id: string, type: ArtifactType, artifactId: string): Promise<StagedItem> =>
  json<StagedItem>(await call('DELETE', `/transactions/${segment(id)}/artifacts/${type}/${segment(artifactId)}`));

export const commitTransaction = async (id: string): Promise<CommittedTransaction> =>
  json<CommittedTransaction>(await call('POST', `/transactions/${segment(id)}/commit`));

export async function abortTransaction(id: string): Promise<void> {
  await call('DELETE', `/transactions/${segment(id)}`);
}
