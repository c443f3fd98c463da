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

/** A granted token use and the token's user, read together. */
export interface TokenUse {
  readonly userName: string;
  readonly user: StoredUser | undefined;
}

/**
 * Issued tokens, kept only as hashes. `consume` counts one use and answers the user name while the
 * token is unexpired and under its use limit — atomically, so concurrent requests cannot overspend.
 */
export interface TokenStore {
  issue(tokenHash: string, grant: TokenGrant): Promise<void>;
  consume(tokenHash: string, now: number): Promise<string | undefined>;
  /**
   * Optional, where users are kept beside tokens: `consume` and a read of the token's user as of
   * that use, in one step (every authenticated call makes both). `user` is undefined if the user is
   * gone. Without it, callers consume and then read the user from the UserStore.
   */
  consumeWithUser?(tokenHash: string, now: number): Promise<TokenUse | undefined>;
  /** Makes one token unusable at once (sign out). Revoking an unknown token is not an error. */
  revoke(tokenHash: string): Promise<void>;
  /**
   * Makes every token of a user unusable at once, except `exceptTokenHash` when given — the token of
   * the request that changed the user's own password stays valid.
   */
  revokeUser(userName: string, exceptTokenHash?: string): Promise<void>;
  clear(): Promise<void>;
}
