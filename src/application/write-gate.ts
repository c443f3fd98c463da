import { DomainError, ErrorCode } from '../domain/errors';

/**
 * Keeps a reset and the writes that store content apart. A reset wipes records and blobs; a write
 * running beside it would either lose its half-stored content mid-way or leave a blob that no record
 * refers to. So a write arriving during a reset is refused (503, try again), and a reset arriving
 * while writes run is refused (409) rather than made to wait for uploads of unknown length.
 */
export class WriteGate {
  private active = 0;
  private resetting = false;

  /** Starts a write; every call must be matched by `leave`. */
  enter(): void {
    if (this.resetting) throw new DomainError(ErrorCode.RegistryResetting, 'the registry is being reset; try again in a moment');
    this.active += 1;
  }

  leave(): void {
    this.active = Math.max(0, this.active - 1);
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.resetting) throw new DomainError(ErrorCode.ArtifactConflict, 'a reset is already in progress');
    if (this.active > 0) {
      throw new DomainError(
        ErrorCode.ArtifactConflict,
        `${this.active} upload${this.active === 1 ? ' is' : 's are'} being stored; reset once ${this.active === 1 ? 'it has' : 'they have'} finished`,
        { writes_in_progress: this.active },
      );
    }
    this.resetting = true;
    try {
      return await work();
    } finally {
      this.resetting = false;
    }
  }
}
