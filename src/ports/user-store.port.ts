import type { StoredUser } from '../domain/user';

/** Registry users with their permissions and password hashes. */
export interface UserStore {
  get(name: string): Promise<StoredUser | undefined>;
  /** Creates or replaces. */
  save(user: StoredUser): Promise<void>;
  delete(name: string): Promise<boolean>;
  list(): Promise<StoredUser[]>;
  clear(): Promise<void>;
}

export interface TokenGrant {
  readonly userName: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly maxUses: number;
}

/**
 * Issued tokens, kept only as hashes. `consume` counts one use and answers the user name while the
 * token is unexpired and under its use limit — atomically, so concurrent requests cannot overspend.
 */
export interface TokenStore {
  issue(tokenHash: string, grant: TokenGrant): Promise<void>;
  consume(tokenHash: string, now: number): Promise<string | undefined>;
  revokeUser(userName: string): Promise<void>;
  clear(): Promise<void>;
}
