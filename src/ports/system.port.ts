/** Time as the application sees it; tests pass a controllable one. */
export interface Clock {
  now(): Date;
}

/** Unique, creation-ordered artifact ids. */
export interface IdGenerator {
  next(): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** A compiled search pattern that runs in time linear in its input. */
export interface SafePattern {
  test(text: string): boolean;
}

/** Compiles user-supplied regular expressions; fails with REQUEST.INVALID on a bad pattern. */
export interface PatternCompiler {
  compile(pattern: string): SafePattern;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Unguessable bearer secrets for issued tokens. */
export interface SecretGenerator {
  secret(): string;
}

/**
 * Times the stages of one request (auth, metadata, storage, audit) so the HTTP adapter can report
 * where the time went; a use case given none runs untimed.
 */
export interface StageTimer {
  measure<T>(stage: string, work: () => Promise<T>): Promise<T>;
}
