import { DomainError, ErrorCode } from '../domain/errors';
import type { User } from '../domain/user';
import type { ArtifactRepository } from '../ports/artifact-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { BlobStore } from '../ports/blob-store.port';
import type { TransactionStore } from '../ports/transaction-store.port';
import type { TokenStore, UserStore } from '../ports/user-store.port';
import type { BlobGuard } from './blob-guard';
import type { SeedDefaultAdmin } from './seed-default-admin.use-case';
import type { WriteGate } from './write-gate';

/**
 * Back to the default state: no artifacts, no content, no audit history, only the default admin.
 * The admin's live tokens stay valid, so the client that asked for the reset can carry on; every
 * other user's tokens die with the user.
 *
 * Writes in this process are kept apart by the write gate; writes in other processes sharing the
 * storage by the blob guard: a reset is refused while any of them holds a live lease, and a write
 * that leases during the reset is refused (503) instead of recording content the reset removes.
 */
export class ResetRegistry {
  constructor(
    private readonly repository: ArtifactRepository,
    private readonly blobs: BlobStore,
    private readonly audit: AuditLog,
    private readonly users: UserStore,
    private readonly tokens: TokenStore,
    private readonly seedAdmin: SeedDefaultAdmin,
    private readonly gate: WriteGate,
    private readonly guard: BlobGuard,
    private readonly transactions?: TransactionStore,
  ) {}

  async execute(input: { actor: User }): Promise<void> {
    if (!input.actor.isAdmin) {
      throw new DomainError(ErrorCode.Forbidden, `user "${input.actor.name}" is not an admin and may not reset the registry`);
    }
    await this.gate.exclusive(() => this.guard.exclusive(async () => {
      // Transactions first: what they staged goes with the blobs.
      await this.transactions?.clear();
      await this.repository.clear();
      await this.blobs.clear();
      await this.audit.clear();
      const adminName = this.seedAdmin.adminName;
      for (const user of await this.users.list()) {
        if (user.name !== adminName) await this.tokens.revokeUser(user.name);
      }
      await this.users.clear();
      await this.seedAdmin.execute();
    }));
  }
}
