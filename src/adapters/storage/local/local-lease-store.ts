import { mkdirSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Claim, ClaimKind, LeaseStore } from '../../../ports/lease-store.port';
import { claimName, parseClaimName } from '../claims/claim-names';

/**
 * Claims as empty files named after them, `<dataDir>/claims/<kind>/<sha256>~<holder>~<expiry>`, seen
 * by every process on the data directory as soon as they are created. Claims are few (writes and
 * deletions in flight), so one flat directory per kind is listed whole. They need not survive a
 * power loss: every holder dies with the machine, and a claim left behind expires.
 */
export class LocalLeaseStore implements LeaseStore {
  private readonly dirs: Record<ClaimKind, string>;

  constructor(dataDir: string) {
    this.dirs = { lease: join(dataDir, 'claims', 'lease'), deletion: join(dataDir, 'claims', 'deletion') };
    for (const dir of Object.values(this.dirs)) mkdirSync(dir, { recursive: true });
  }

  async put(claim: Claim): Promise<void> {
    await writeFile(this.pathOf(claim), '', { flag: 'wx' });
  }

  async remove(claim: Claim): Promise<void> {
    await rm(this.pathOf(claim), { force: true });
  }

  async list(kind: ClaimKind, sha256?: string): Promise<Claim[]> {
    const names = await readdir(this.dirs[kind]);
    return names.flatMap((name) => {
      const claim = parseClaimName(kind, name);
      return claim === undefined || (sha256 !== undefined && claim.sha256 !== sha256) ? [] : [claim];
    });
  }

  private pathOf(claim: Claim): string {
    return join(this.dirs[claim.kind], claimName(claim));
  }
}
