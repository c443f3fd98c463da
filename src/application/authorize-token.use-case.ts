import { DomainError, ErrorCode } from '../domain/errors';
import type { User } from '../domain/user';
import type { Clock } from '../ports/system.port';
import type { TokenStore, TokenUse, UserStore } from '../ports/user-store.port';
import { hashToken, TOKEN_SCHEME } from './authenticate-user.use-case';

const unauthenticated = (why: string): DomainError =>
  new DomainError(ErrorCode.Unauthenticated, `authentication failed: ${why}`);

/** Turns an X-Authorization header into the user it belongs to, spending one of the token's uses. */
export class AuthorizeToken {
  constructor(
    private readonly users: UserStore,
    private readonly tokens: TokenStore,
    private readonly clock: Clock,
  ) {}

  async execute(header: string | undefined): Promise<User> {
    return (await this.identify(header)).user;
  }

  /** The user and the hash of the token they sent: sign-out and password changes act on that token. */
  async identify(header: string | undefined): Promise<{ user: User; tokenHash: string }> {
    if (header === undefined || header.trim() === '') throw unauthenticated('the X-Authorization header is missing');
    const secret = stripScheme(header.trim());
    if (secret.length === 0 || secret.length > 512) throw unauthenticated('the token is malformed');
    const tokenHash = hashToken(secret);
    const use = await this.spend(tokenHash, this.clock.now().getTime());
    if (use === undefined) throw unauthenticated('the token is unknown, expired or used up; authenticate again');
    const user = use.user;
    if (user === undefined) throw unauthenticated('the token belongs to a user who no longer exists');
    return { user: { name: user.name, isAdmin: user.isAdmin, permissions: user.permissions }, tokenHash };
  }

  private async spend(tokenHash: string, now: number): Promise<TokenUse | undefined> {
    if (this.tokens.consumeWithUser !== undefined) return this.tokens.consumeWithUser(tokenHash, now);
    const userName = await this.tokens.consume(tokenHash, now);
    return userName === undefined ? undefined : { userName, user: await this.users.get(userName) };
  }
}

// Clients send the token exactly as issued ("bearer …"); some strip the scheme, some quote it.
function stripScheme(value: string): string {
  const unquoted = value.replace(/^"(.*)"$/, '$1');
  const lower = unquoted.toLowerCase();
  return lower.startsWith(`${TOKEN_SCHEME} `) ? unquoted.slice(TOKEN_SCHEME.length + 1).trim() : unquoted;
}
