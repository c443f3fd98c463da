import { COMMON_PASSWORDS } from './common-passwords';
import { invalidInput } from './errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const DENIED = new Set(COMMON_PASSWORDS.map((password) => password.toLowerCase()));

/** The rule, in words, for error messages and documentation. */
export const PASSWORD_RULE = `a password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long, must not contain the user name, and must not be one of the most common breached passwords`;

/**
 * Length is what makes a password hard to guess; the deny list removes the long ones every attacker
 * tries first. Nothing here asks for symbol classes: they push people to predictable substitutions.
 */
export function assertAcceptablePassword(password: unknown, userName: string): string {
  if (typeof password !== 'string') throw invalidInput('the password must be a string');
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) throw weak(`it has ${length} characters, fewer than ${PASSWORD_MIN_LENGTH}`);
  if (length > PASSWORD_MAX_LENGTH) throw weak(`it has more than ${PASSWORD_MAX_LENGTH} characters`);
  const lower = password.toLowerCase();
  if (lower.includes(userName.toLowerCase())) throw weak('it contains the user name');
  if (DENIED.has(lower)) throw weak('it is one of the most common breached passwords');
  return password;
}

const weak = (why: string) => invalidInput(`the password is too weak: ${why}; ${PASSWORD_RULE}`, { rule: PASSWORD_RULE });
