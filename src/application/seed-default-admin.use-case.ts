import { ALL_PERMISSIONS, DEFAULT_ADMIN_NAME } from '../domain/user';
import type { UserStore } from '../ports/user-store.port';
import type { PasswordHasher } from '../ports/system.port';

/** Ensures the default admin exists with the configured password (run at start-up and on reset). */
export class SeedDefaultAdmin {
  readonly adminName = DEFAULT_ADMIN_NAME;

  constructor(
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    private readonly password: string,
  ) {}

  async execute(): Promise<void> {
    const existing = await this.users.get(this.adminName);
    if (existing !== undefined && (await this.hasher.verify(existing.passwordHash, this.password))) return;
    await this.users.save({
      name: this.adminName,
      isAdmin: true,
      permissions: ALL_PERMISSIONS,
      passwordHash: await this.hasher.hash(this.password),
    });
  }
}
