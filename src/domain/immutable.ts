const deeplyFrozen = new WeakSet<object>();

/**
 * Freezes a value and everything it holds, and remembers that it did: a value shared by many
 * readers (a cached record, rating or lineage) cannot be changed by one of them, and what is derived
 * from it alone (its JSON, say) may be derived once.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || deeplyFrozen.has(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  deeplyFrozen.add(value);
  return value;
}

/** Whether `value` was frozen whole by `deepFreeze`: then nothing in it can change. */
export const isDeeplyFrozen = (value: unknown): value is object => typeof value === 'object' && value !== null && deeplyFrozen.has(value);
