import { LRUCache } from 'lru-cache';
import type { AuditEntry } from '../../../domain/audit';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { StoredUser } from '../../../domain/user';
import type { AuditLog } from '../../../ports/audit-log.port';
import type { UserStore } from '../../../ports/user-store.port';
import { mapLimit, type S3Bucket } from './s3-bucket';
import { AuditSequence, Prefix, auditDirectory, userKey } from './s3-layout';

const READ_CONCURRENCY = 16;
const MAX_ATTEMPTS = 5;

/** One JSON object per user; users are few, so listing reads them all. */
export class S3UserStore implements UserStore {
  constructor(private readonly bucket: S3Bucket) {}

  async get(name: string): Promise<StoredUser | undefined> {
    const stored = await this.bucket.getText(userKey(name));
    return stored === undefined || stored === 'unchanged' ? undefined : (JSON.parse(stored.text) as StoredUser);
  }

  async save(user: StoredUser): Promise<void> {
    await this.bucket.putText(userKey(user.name), JSON.stringify(user));
  }

  async delete(name: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const stored = await this.bucket.getText(userKey(name));
      if (stored === undefined || stored === 'unchanged') return false;
      // If-Match: of two concurrent deletions only one is told it removed the user.
      const result = await this.bucket.delete(userKey(name), stored.etag);
      if (result !== 'precondition') return result === 'deleted';
    }
    throw new DomainError(ErrorCode.StorageUnavailable, `user "${name}" kept changing while being deleted; retry`);
  }

  async list(): Promise<StoredUser[]> {
    const users: StoredUser[] = [];
    for await (const page of this.bucket.pages(Prefix.users)) {
      const stored = await mapLimit(page.objects, READ_CONCURRENCY, (object) => this.bucket.getText(object.key));
      for (const entry of stored) if (entry !== undefined && entry !== 'unchanged') users.push(JSON.parse(entry.text) as StoredUser);
    }
    return users.sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async clear(): Promise<void> {
    await this.bucket.deletePrefix(Prefix.users);
  }
}

/**
 * One JSON object per entry under `audit/<artifact id>/`, keyed so that listing yields the newest
 * first: the most recent `limit` entries cost one listing and at most `limit` reads. Entries never
 * change, so every one read is cached by key.
 */
export class S3AuditLog implements AuditLog {
  private readonly cache = new LRUCache<string, string>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (text) => text.length + 64 });
  private readonly sequence = new AuditSequence();

  constructor(private readonly bucket: S3Bucket) {}

  async append(entry: AuditEntry): Promise<void> {
    const key = this.sequence.next(entry.artifact.id);
    const text = JSON.stringify(entry);
    await this.bucket.putText(key, text);
    this.cache.set(key, text);
  }

  /**
   * One object per entry, written together; when any write fails the others are removed again, so
   * the trail never shows part of a group (a crash between the two leaves entries a retry repeats).
   */
  async appendAll(entries: readonly AuditEntry[]): Promise<void> {
    const keyed = entries.map((entry) => ({ key: this.sequence.next(entry.artifact.id), text: JSON.stringify(entry) }));
    const outcomes = await Promise.allSettled(keyed.map(({ key, text }) => this.bucket.putText(key, text)));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed !== undefined) {
      await this.bucket.deleteQuietly(keyed.map(({ key }) => key));
      throw failed.reason;
    }
    keyed.forEach(({ key, text }) => this.cache.set(key, text));
  }

  async forArtifact(artifactId: string, limit: number): Promise<AuditEntry[]> {
    const keys: string[] = [];
    let after: string | undefined;
    while (keys.length < limit) {
      const page = await this.bucket.list(auditDirectory(artifactId), after, limit - keys.length);
      keys.push(...page.objects.map((object) => object.key));
      after = keys[keys.length - 1];
      if (!page.truncated) break;
    }
    const texts = await mapLimit(keys, READ_CONCURRENCY, (key) => this.read(key));
    return texts.flatMap((text) => (text === undefined ? [] : [JSON.parse(text) as AuditEntry])).reverse();
  }

  async clear(): Promise<void> {
    await this.bucket.deletePrefix(Prefix.audit);
    this.cache.clear();
  }

  private async read(key: string): Promise<string | undefined> {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const stored = await this.bucket.getText(key);
    if (stored === undefined || stored === 'unchanged') return undefined;
    this.cache.set(key, stored.text);
    return stored.text;
  }
}
