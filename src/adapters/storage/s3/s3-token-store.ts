import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { TokenGrant, TokenStore } from '../../../ports/user-store.port';
import type { S3Bucket } from './s3-bucket';
import { Prefix, hashOfTokenOwnerKey, tokenKey, tokenOwnerDirectory, tokenOwnerKey } from './s3-layout';
import { TokenUseBatches, type UseWaiter } from '../token-use-batches';

interface TokenState extends TokenGrant {
  readonly uses: number;
}

const MAX_ATTEMPTS = 8;
const MAX_BACKOFF_MS = 250;

/**
 * Tokens as JSON objects holding their use count. Each use is a read followed by a write with
 * If-Match on the ETag that was read, retried when another instance wrote in between, so
 * concurrent uses can never overspend. Within one process, uses of the same token that arrive while
 * a write is in flight are batched into the next write (group commit): a burst of N requests costs
 * a couple of round trips instead of N conflicting ones.
 */
export class S3TokenStore implements TokenStore {
  private readonly batches = new TokenUseBatches((tokenHash, batch) => this.spend(tokenHash, batch));

  constructor(private readonly bucket: S3Bucket) {}

  async issue(tokenHash: string, grant: TokenGrant): Promise<void> {
    // The owner marker first: a token that exists can always be found for revocation.
    await this.bucket.putText(tokenOwnerKey(grant.userName, tokenHash), '');
    const state: TokenState = { ...grant, uses: 0 };
    await this.bucket.putText(tokenKey(tokenHash), JSON.stringify(state));
  }

  consume(tokenHash: string, now: number): Promise<string | undefined> {
    return this.batches.consume(tokenHash, now);
  }

  async revoke(tokenHash: string): Promise<void> {
    const stored = await this.bucket.getText(tokenKey(tokenHash));
    if (stored === undefined || stored === 'unchanged') return;
    const { userName } = JSON.parse(stored.text) as TokenState;
    // The token first, its owner marker after: a crash in between leaves a marker, never a live token.
    await this.bucket.deleteKeys([tokenKey(tokenHash)]);
    await this.bucket.deleteKeys([tokenOwnerKey(userName, tokenHash)]);
  }

  async revokeUser(userName: string, exceptTokenHash?: string): Promise<void> {
    for await (const page of this.bucket.pages(tokenOwnerDirectory(userName))) {
      const owners = page.objects.map((object) => object.key).filter((key) => hashOfTokenOwnerKey(key) !== exceptTokenHash);
      await this.bucket.deleteKeys(owners.map((key) => tokenKey(hashOfTokenOwnerKey(key))));
      await this.bucket.deleteKeys(owners);
    }
  }

  async clear(): Promise<void> {
    await this.bucket.deletePrefix(Prefix.tokens);
    await this.bucket.deletePrefix(Prefix.tokenOwners);
  }

  /** Spends one use per eligible waiter, in arrival order, in one conditional write. */
  private async spend(tokenHash: string, batch: readonly UseWaiter[]): Promise<(string | undefined)[]> {
    const refused = batch.map(() => undefined);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const stored = await this.bucket.getText(tokenKey(tokenHash));
      if (stored === undefined || stored === 'unchanged') return refused;
      const token = JSON.parse(stored.text) as TokenState;
      let left = token.maxUses - token.uses;
      const granted = batch.map((waiter) => {
        if (waiter.now >= token.expiresAt || left <= 0) return undefined;
        left -= 1;
        return token.userName;
      });
      const spent = granted.filter((user) => user !== undefined).length;
      if (spent === 0) return granted;
      const next: TokenState = { ...token, uses: token.uses + spent };
      const outcome = await this.bucket.putText(tokenKey(tokenHash), JSON.stringify(next), { ifMatch: stored.etag });
      if (outcome.ok) return granted;
      // Revoked while we counted: If-Match on a deleted object fails rather than bringing it back.
      if (outcome.reason === 'missing') return refused;
      await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt));
    }
    throw new DomainError(ErrorCode.StorageUnavailable, 'storage is unreachable: too many concurrent uses of one token; retry');
  }
}
