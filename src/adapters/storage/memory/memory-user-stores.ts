import type { AuditEntry } from '../../../domain/audit';
import type { StoredUser } from '../../../domain/user';
import type { AuditLog } from '../../../ports/audit-log.port';
import type { TokenGrant, TokenStore, UserStore } from '../../../ports/user-store.port';

export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, StoredUser>();

  async get(name: string): Promise<StoredUser | undefined> {
    const user = this.users.get(name);
    return user === undefined ? undefined : structuredClone(user);
  }

  async save(user: StoredUser): Promise<void> {
    this.users.set(user.name, structuredClone(user));
  }

  async delete(name: string): Promise<boolean> {
    return this.users.delete(name);
  }

  async list(): Promise<StoredUser[]> {
    return [...this.users.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((user) => structuredClone(user));
  }

  async clear(): Promise<void> {
    this.users.clear();
  }
}

export class MemoryTokenStore implements TokenStore {
  private readonly tokens = new Map<string, TokenGrant & { uses: number }>();

  async issue(tokenHash: string, grant: TokenGrant): Promise<void> {
    this.tokens.set(tokenHash, { ...grant, uses: 0 });
  }

  async consume(tokenHash: string, now: number): Promise<string | undefined> {
    const token = this.tokens.get(tokenHash);
    if (token === undefined || token.expiresAt <= now || token.uses >= token.maxUses) return undefined;
    token.uses += 1;
    return token.userName;
  }

  async revoke(tokenHash: string): Promise<void> {
    this.tokens.delete(tokenHash);
  }

  async revokeUser(userName: string, exceptTokenHash?: string): Promise<void> {
    for (const [hash, token] of this.tokens) if (token.userName === userName && hash !== exceptTokenHash) this.tokens.delete(hash);
  }

  async clear(): Promise<void> {
    this.tokens.clear();
  }
}

export class MemoryAuditLog implements AuditLog {
  private readonly entries: AuditEntry[] = [];

  async append(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }

  async appendAll(entries: readonly AuditEntry[]): Promise<void> {
    this.entries.push(...entries.map((entry) => structuredClone(entry)));
  }

  async forArtifact(artifactId: string, limit: number): Promise<AuditEntry[]> {
    // slice(-0) would return every entry.
    if (limit <= 0) return [];
    return this.entries.filter((entry) => entry.artifact.id === artifactId).slice(-limit).map((e) => structuredClone(e));
  }

  async clear(): Promise<void> {
    this.entries.length = 0;
  }
}
