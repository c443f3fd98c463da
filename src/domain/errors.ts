/**
 * Every failure the registry reports on purpose carries a stable code. The HTTP adapter maps codes to
 * statuses in one table, so the domain never speaks HTTP.
 */
export const ErrorCode = {
  InvalidInput: 'REQUEST.INVALID',
  PayloadTooLarge: 'REQUEST.TOO_LARGE',
  Unauthenticated: 'AUTH.UNAUTHENTICATED',
  BadCredentials: 'AUTH.BAD_CREDENTIALS',
  TooManyAttempts: 'AUTH.TOO_MANY_ATTEMPTS',
  Forbidden: 'AUTH.FORBIDDEN',
  ArtifactNotFound: 'ARTIFACT.NOT_FOUND',
  ArtifactConflict: 'ARTIFACT.CONFLICT',
  NoMatch: 'SEARCH.NO_MATCH',
  InvalidPackage: 'PACKAGE.INVALID',
  PackageUnsafe: 'PACKAGE.UNSAFE',
  UnsupportedSource: 'SOURCE.UNSUPPORTED',
  SourceNotFound: 'SOURCE.NOT_FOUND',
  SourceTooLarge: 'SOURCE.TOO_LARGE',
  SourceAccessDenied: 'SOURCE.ACCESS_DENIED',
  SourceIntegrity: 'SOURCE.INTEGRITY',
  UpstreamUnavailable: 'UPSTREAM.UNAVAILABLE',
  UpstreamRateLimited: 'UPSTREAM.RATE_LIMITED',
  UpstreamTimeout: 'UPSTREAM.TIMEOUT',
  RatingBelowThreshold: 'RATING.BELOW_THRESHOLD',
  RatingUnavailable: 'RATING.UNAVAILABLE',
  RatingFailed: 'RATING.FAILED',
  LineageUnavailable: 'LINEAGE.UNAVAILABLE',
  StorageUnavailable: 'STORAGE.UNAVAILABLE',
  StorageFull: 'STORAGE.FULL',
  RegistryResetting: 'REGISTRY.RESETTING',
  UserNotFound: 'USER.NOT_FOUND',
  UserExists: 'USER.EXISTS',
  /** The default admin cannot be deleted; the last admin cannot stop being one. */
  UserProtected: 'USER.PROTECTED',
  DownloadRefused: 'DOWNLOAD.REFUSED',
  HookUnavailable: 'DOWNLOAD.HOOK_FAILED',
  PerformanceRunActive: 'PERFORMANCE.RUN_ACTIVE',
  PerformanceRunNotFound: 'PERFORMANCE.RUN_NOT_FOUND',
  PerformanceUnavailable: 'PERFORMANCE.UNAVAILABLE',
  TransactionNotFound: 'TRANSACTION.NOT_FOUND',
  /** Its lifetime ran out: nothing more can be staged or committed, and it is aborted by itself. */
  TransactionExpired: 'TRANSACTION.EXPIRED',
  /** Committed, aborted, or being committed: it takes no more changes. */
  TransactionClosed: 'TRANSACTION.CLOSED',
  TransactionLimit: 'TRANSACTION.LIMIT',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalidInput = (message: string, details?: Record<string, unknown>): DomainError =>
  new DomainError(ErrorCode.InvalidInput, message, details);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
