import { createHash } from 'node:crypto';
import { DomainError, ErrorCode } from '../domain/errors';
import { parseUserName, TOKEN_MAX_USES, TOKEN_TTL_MS } from '../domain/user';
import type { PasswordHasher, Clock, SecretGenerator } from '../ports/system.port';
import type { TokenStore, UserStore } from '../ports/user-store.port';

export const TOKEN_SCHEME = 'bearer';

/** Only a hash of a token is stored: a leaked database does not leak working credentials. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Exchanges a user name and password for a token that is good for 1000 calls or 10 hours. */
export class AuthenticateUser {
  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenStore,
    private readonly hasher: PasswordHasher,
    private readonly secrets: SecretGenerator,
    private readonly clock: Clock,
  ) {}

  async execute(input: { name: string; password: string }): Promise<string> {
    const user = await this.users.get(parseUserName(input.name));
    const valid = user !== undefined && (await this.hasher.verify(user.passwordHash, input.password));
    if (!valid) throw new DomainError(ErrorCode.BadCredentials, 'the user name or password is incorrect');
    const secret = this.secrets.secret();
    const issuedAt = this.clock.now().getTime();
    await this.tokens.issue(hashToken(secret), {
      userName: user.name,
      issuedAt,
      expiresAt: issuedAt + TOKEN_TTL_MS,
      maxUses: TOKEN_MAX_USES,
    });
    return `${TOKEN_SCHEME} ${secret}`;
  }
}
