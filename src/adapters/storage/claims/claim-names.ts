import type { Claim, ClaimKind } from '../../../ports/lease-store.port';

const NAME = /^([0-9a-f]{64}|all)~([0-9a-f]{1,64})~(\d{1,16})$/;

/**
 * A claim is named, not written: `<sha256>~<holder>~<expiry ms>`. One listing then tells who holds
 * what until when, without reading any object or file.
 */
export const claimName = (claim: Claim): string => `${claim.sha256}~${claim.holder}~${claim.expiresAt.getTime()}`;

/** Undefined for names that are not claims (a stray file), which are ignored. */
export function parseClaimName(kind: ClaimKind, name: string): Claim | undefined {
  const match = NAME.exec(name);
  if (match === null) return undefined;
  return { kind, sha256: match[1] as string, holder: match[2] as string, expiresAt: new Date(Number(match[3])) };
}
