/**
 * Blobs are shared between artifacts with identical content. A blob that an operation has just
 * stored but not yet recorded is leased, so a concurrent deletion in this process does not remove it
 * between the write and the record that will refer to it.
 */
export class BlobLeases {
  private readonly held = new Map<string, number>();

  acquire(sha256: string): void {
    this.held.set(sha256, (this.held.get(sha256) ?? 0) + 1);
  }

  release(sha256: string): void {
    const count = (this.held.get(sha256) ?? 0) - 1;
    if (count <= 0) this.held.delete(sha256);
    else this.held.set(sha256, count);
  }

  isLeased(sha256: string): boolean {
    return this.held.has(sha256);
  }
}
