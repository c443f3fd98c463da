import { DomainError, ErrorCode } from '../domain/errors';

export interface FailureLimit {
  /** Failed logins a key may have inside one window before it must wait. */
  readonly maxFailures: number;
  readonly windowMs: number;
}

/** One address: a person mistyping never gets near this; a script guessing does within seconds. */
export const CLIENT_LIMIT: FailureLimit = { maxFailures: 10, windowMs: 60_000 };
/** One user name, from anywhere: caps guesses spread over many addresses. */
export const USER_LIMIT: FailureLimit = { maxFailures: 20, windowMs: 10 * 60_000 };
/** Keys each window remembers; the oldest are forgotten first, so memory stays bounded under any load. */
export const MAX_THROTTLE_KEYS = 10_000;

interface Window {
  readonly startedAt: number;
  failures: number;
}

/** Counts failures per key in fixed windows, in a bounded map. */
class FailureWindows {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly limit: FailureLimit) {}

  /** Milliseconds until the key may try again, or 0. */
  waitMs(key: string, now: number): number {
    const window = this.current(key, now);
    return window !== undefined && window.failures >= this.limit.maxFailures ? window.startedAt + this.limit.windowMs - now : 0;
  }

  fail(key: string, now: number): void {
    const window = this.current(key, now);
    if (window !== undefined) {
      window.failures += 1;
      return;
    }
    this.windows.set(key, { startedAt: now, failures: 1 });
    if (this.windows.size > MAX_THROTTLE_KEYS) this.windows.delete(this.windows.keys().next().value as string);
  }

  forget(key: string): void {
    this.windows.delete(key);
  }

  get size(): number {
    return this.windows.size;
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window === undefined || now < window.startedAt + this.limit.windowMs) return window;
    this.windows.delete(key);
    return undefined;
  }
}

/**
 * Slows password guessing: too many failed logins from one client, or for one user name, and
 * further attempts are refused without checking the password until the window ends. A correct
 * password is refused too while throttled, so the answer never confirms a guess. State is per
 * process (per Lambda instance), which bounds a guesser's rate without shared storage.
 */
export class LoginThrottle {
  private readonly clients: FailureWindows;
  private readonly users: FailureWindows;

  constructor(clientLimit: FailureLimit = CLIENT_LIMIT, userLimit: FailureLimit = USER_LIMIT) {
    this.clients = new FailureWindows(clientLimit);
    this.users = new FailureWindows(userLimit);
  }

  check(client: string | undefined, user: string, now: number): void {
    const waitMs = Math.max(client === undefined ? 0 : this.clients.waitMs(client, now), this.users.waitMs(user, now));
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw new DomainError(ErrorCode.TooManyAttempts, `too many failed logins; try again in ${seconds} s`, { retry_after_seconds: seconds });
    }
  }

  failed(client: string | undefined, user: string, now: number): void {
    if (client !== undefined) this.clients.fail(client, now);
    this.users.fail(user, now);
  }

  succeeded(client: string | undefined, user: string): void {
    if (client !== undefined) this.clients.forget(client);
    this.users.forget(user);
  }

  /** Keys held, for tests of the bound. */
  get size(): { clients: number; users: number } {
    return { clients: this.clients.size, users: this.users.size };
  }
}
