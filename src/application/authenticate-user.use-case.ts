import { hash } from 'node:crypto';
import { DomainError, ErrorCode } from '../domain/errors';
import { parseUserName, TOKEN_MAX_USES, TOKEN_TTL_MS } from '../domain/user';
import type { PasswordHasher, Clock, SecretGenerator } from '../ports/system.port';
import type { TokenStore, UserStore } from '../ports/user-store.port';
import { LoginThrottle } from './login-throttle';

export const TOKEN_SCHEME = 'bearer';

/** Only a hash of a token is stored: a leaked database does not leak working credentials. */
// One-shot `hash`: a Hash object per call was most of the cost, and every request hashes its token.
export const hashToken = (token: string): string => hash('sha256', token, 'hex');

/**
 * Exchanges a user name and password for a token that is good for 1000 calls or 10 hours. Failed
 * attempts are throttled per client and per user name, and an unknown user costs the same password
 * check as a known one, so neither the answer nor its timing tells whether the user exists.
 */
export class AuthenticateUser {
  private dummyHash?: Promise<string>;

  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenStore,
    private readonly hasher: PasswordHasher,
    private readonly secrets: SecretGenerator,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle = new LoginThrottle(),
  ) {}

  /** `client` identifies the caller (its address) for throttling; absent, only the user name is throttled. */
  async execute(input: { name: string; password: string; client?: string }): Promise<string> {
    const name = parseUserName(input.name);
    this.throttle.check(input.client, name, this.clock.now().getTime());
    const user = await this.users.get(name);
    const valid = await this.hasher.verify(user?.passwordHash ?? (await this.unknownUserHash()), input.password);
    if (user === undefined || !valid) {
      this.throttle.failed(input.client, name, this.clock.now().getTime());
      throw new DomainError(ErrorCode.BadCredentials, 'the user name or password is incorrect');
    }
    this.throttle.succeeded(input.client, name);
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

  /** A hash made with the hasher's own settings, so verifying against it costs what a real check costs. */
  private unknownUserHash(): Promise<string> {
    this.dummyHash ??= this.hasher.hash(this.secrets.secret());
    return this.dummyHash;
  }
}
