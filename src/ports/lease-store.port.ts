/**
 * A lease says "a writer stored this blob and is about to record a reference to it"; a deletion
 * claim says "someone is deciding whether to remove this blob". Both are held by one holder until
 * they expire, so a holder that crashed stops counting on its own.
 */
export type ClaimKind = 'lease' | 'deletion';

/** Stands for every blob at once: a reset's deletion claim. */
export const EVERY_BLOB = 'all';

export interface Claim {
  readonly kind: ClaimKind;
  /** A blob's sha256, or EVERY_BLOB. */
  readonly sha256: string;
  /** Unique per claim taken: two writers of the same blob never share one. */
  readonly holder: string;
  readonly expiresAt: Date;
}

/**
 * Claims shared by every process on one data directory or one bucket. The blob guard's handshake is
 * correct only because a `put` that has resolved is seen by every `list` that starts after it, in
 * any process (strong read-after-write: POSIX file systems and S3 both give it).
 */
export interface LeaseStore {
  put(claim: Claim): Promise<void>;
  /** Removing a claim that is already gone is not an error. */
  remove(claim: Claim): Promise<void>;
  /** Every claim of `kind` on `sha256` (live or expired), or on every blob when `sha256` is absent. */
  list(kind: ClaimKind, sha256?: string): Promise<Claim[]>;
}
