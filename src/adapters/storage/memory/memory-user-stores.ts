import type { AuditEntry } from '../../../domain/audit';
import type { StoredUser } from '../../../domain/user';
import type { AuditLog } from '../../../ports/audit-log.port';
import type { TokenGrant, TokenStore, UserStore } from '../../../ports/user-store.port';

export class MemoryUserStore implements UserStore {
  private readonly users = new Map<string, StoredUser>();

  async get(name: string): Promise<StoredUser | undefined> {
    return this.users.get(name);
  }

  async save(user: StoredUser): Promise<void> {
    this.users.set(user.name, user);
  }

  async delete(name: string): Promise<boolean> {
    return this.users.delete(name);
  }

  async list(): Promise<StoredUser[]> {
    return [...this.users.values()];
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

  async revokeUser(userName: string): Promise<void> {
    for (const [hash, token] of this.tokens) if (token.userName === userName) this.tokens.delete(hash);
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

  async forArtifact(artifactId: string, limit: number): Promise<AuditEntry[]> {
    return this.entries.filter((entry) => entry.artifact.id === artifactId).slice(-limit).map((e) => structuredClone(e));
  }

  async clear(): Promise<void> {
    this.entries.length = 0;
  }
}
