import { ApiError } from './api';
import type { GateRefusal } from './api-types';

/** An error put in words for a person: what happened, what the registry said, and the id to quote. */
export interface Explained {
  readonly title: string;
  readonly detail?: string;
  readonly requestId?: string;
  /** What a sensitive model's pre-download program printed when it refused. */
  readonly output?: string;
}

const sentence = (text: string): string => {
  const trimmed = text.trim();
  if (trimmed.length === 0) return trimmed;
  const capitalised = trimmed[0]?.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
};

const TITLES_BY_CODE: Record<string, string> = {
  'ARTIFACT.NOT_FOUND': 'This artifact is not in the registry (it may have been deleted, or the registry was reset).',
  'SOURCE.NOT_FOUND': 'The source repository could not be found.',
  'SOURCE.UNSUPPORTED': 'The registry cannot take content from that URL.',
  'SOURCE.ACCESS_DENIED': 'The source refused access (it may be gated or private).',
  'SOURCE.INTEGRITY': 'The source sent content that did not match what it declared, so nothing was stored.',
  'SOURCE.TOO_LARGE': 'The source is larger than this registry accepts.',
  'PACKAGE.INVALID': 'The zip file was not accepted.',
  'UPSTREAM.RATE_LIMITED': 'The source is limiting requests right now. Try again in a minute.',
  'UPSTREAM.TIMEOUT': 'The source did not answer in time. Try again.',
  'UPSTREAM.UNAVAILABLE': 'The source failed to answer.',
  'STORAGE.UNAVAILABLE': 'The registry cannot reach its storage right now. Try again shortly.',
  'RATING.BELOW_THRESHOLD': 'The registry refused this artifact: its rating does not meet the bar.',
  'AUTH.BAD_CREDENTIALS': 'That user name and password do not match. Check both and try again.',
  'AUTH.TOO_MANY_ATTEMPTS': 'Too many failed sign-ins. Wait a minute, then try again.',
  'AUTH.FORBIDDEN': 'Your account does not have permission to do this.',
  'ARTIFACT.CONFLICT': 'Someone else changed this artifact at the same time. Reload and try again.',
  'REQUEST.TOO_LARGE': 'That is larger than this registry accepts.',
  'RATING.UNAVAILABLE': 'This model has no rating yet.',
  'RATING.FAILED': 'The registry could not compute every metric of this rating.',
  'LINEAGE.UNAVAILABLE': 'The lineage could not be built from this model\'s metadata.',
  'SOURCE.INGEST_UNAVAILABLE': 'This registry build cannot fetch from that kind of URL; upload a zip instead.',
  'ROUTE.NOT_IMPLEMENTED': 'This registry build cannot do that yet.',
  'DOWNLOAD.REFUSED': 'The model\'s download check refused this download.',
  'DOWNLOAD.HOOK_FAILED': 'The model\'s download check could not be run. Try again shortly.',
  'USER.EXISTS': 'A user with that name already exists.',
  'USER.NOT_FOUND': 'There is no user with that name.',
  'USER.PROTECTED': 'That account is protected: the default administrator cannot be deleted, and the last administrator must stay one.',
};

function titleForStatus(status: number): string {
  if (status === 0) return 'The registry could not be reached. Check that it is running and that your connection works.';
  if (status === 400) return 'The registry could not accept this request.';
  if (status === 401) return 'You do not have permission to do this.';
  if (status === 403) return 'Your session has ended. Sign in again.';
  if (status === 404) return 'Nothing was found.';
  if (status === 409) return 'Someone else changed this at the same time. Reload and try again.';
  if (status === 413) return 'That is larger than this registry accepts.';
  if (status === 415) return 'The registry does not accept this kind of file.';
  if (status === 424) return 'The registry refused this artifact: its rating does not meet the bar.';
  if (status === 501) return 'This registry build cannot do that yet.';
  if (status === 502 || status === 503 || status === 504) return 'A service the registry depends on failed. Try again shortly.';
  return 'The registry ran into an unexpected problem.';
}

export function explain(error: unknown): Explained {
  if (error instanceof ApiError) {
    const title = TITLES_BY_CODE[error.code] ?? titleForStatus(error.status);
    const detail = error.status === 0 ? undefined : sentence(error.message);
    const output = error.details?.output;
    return {
      title,
      ...(detail ? { detail } : {}),
      ...(error.requestId ? { requestId: error.requestId } : {}),
      ...(typeof output === 'string' && output.trim().length > 0 ? { output } : {}),
    };
  }
  return { title: 'Something went wrong in this page.', detail: sentence(error instanceof Error ? error.message : String(error)) };
}

/** The metrics behind a 424, when the error is one. */
export function gateRefusal(error: unknown): GateRefusal | undefined {
  if (!(error instanceof ApiError) || error.status !== 424) return undefined;
  const failing = error.details?.failing;
  if (!Array.isArray(failing)) return undefined;
  const threshold = error.details?.threshold;
  return {
    failing: failing.filter((item): item is { metric: string; value: number } => typeof item?.metric === 'string' && typeof item?.value === 'number'),
    ...(typeof threshold === 'number' ? { threshold } : {}),
  };
}

export const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
