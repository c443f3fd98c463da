import { randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import RE2 from 're2';
import { monotonicFactory } from 'ulid';
import { invalidInput } from '../../domain/errors';
import type { Clock, IdGenerator, PasswordHasher, PatternCompiler, SafePattern, SecretGenerator } from '../../ports/system.port';

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}

/** ULIDs: 26 characters, unique, and sorted by creation time, which keyset pagination relies on. */
export class UlidIdGenerator implements IdGenerator {
  private readonly factory = monotonicFactory();

  next(): string {
    return this.factory();
  }
}

export class RandomSecretGenerator implements SecretGenerator {
  secret(): string {
    return randomBytes(32).toString('base64url');
  }
}

export interface Argon2Cost {
  readonly memoryCost: number;
  readonly timeCost: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes. Tests may lower the cost; production never does. */
export const OWASP_ARGON2_COST: Argon2Cost = { memoryCost: 19_456, timeCost: 2 };

export class Argon2PasswordHasher implements PasswordHasher {
  constructor(private readonly cost: Argon2Cost = OWASP_ARGON2_COST) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: Algorithm.Argon2id, parallelism: 1, ...this.cost });
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
}

/**
 * RE2 guarantees time linear in the input, so a pattern such as `(a+)+$` cannot stall the server.
 * It has no backreferences or lookaround; such patterns are refused with a message saying so.
 */
export class Re2PatternCompiler implements PatternCompiler {
  compile(pattern: string): SafePattern {
    let compiled: RE2;
    try {
      compiled = new RE2(pattern, 'u');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalidInput(`invalid regular expression: ${reason} (RE2 syntax: no backreferences or lookaround)`);
    }
    return { test: (text: string) => compiled.test(text) };
  }
}
