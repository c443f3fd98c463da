const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** FNV-1a, 64-bit, over the UTF-8 bytes of `text`, as 16 hex digits. Not cryptographic: a stable name. */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * The node id of an ancestor this registry does not hold: the same for the same kind and name on every
 * read and every machine, and shaped like an artifact id (letters, digits, dashes).
 */
export const externalNodeId = (kind: string, name: string): string => `ext-${fnv1a64(`${kind}:${name.toLowerCase()}`)}`;
