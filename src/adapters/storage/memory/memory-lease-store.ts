import type { Claim, ClaimKind, LeaseStore } from '../../../ports/lease-store.port';
import { claimName } from '../claims/claim-names';

/** Claims of one process: memory storage is never shared with another. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly claims = new Map<string, Claim>();

  async put(claim: Claim): Promise<void> {
    this.claims.set(`${claim.kind}/${claimName(claim)}`, claim);
  }

  async remove(claim: Claim): Promise<void> {
    this.claims.delete(`${claim.kind}/${claimName(claim)}`);
  }

  async list(kind: ClaimKind, sha256?: string): Promise<Claim[]> {
    return [...this.claims.values()].filter((claim) => claim.kind === kind && (sha256 === undefined || claim.sha256 === sha256));
  }
}
