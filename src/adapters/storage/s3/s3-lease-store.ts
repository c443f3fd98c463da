import type { Claim, ClaimKind, LeaseStore } from '../../../ports/lease-store.port';
import { claimName, parseClaimName } from '../claims/claim-names';
import type { S3Bucket } from './s3-bucket';
import { Prefix } from './s3-layout';

const prefixOf = (kind: ClaimKind): string => (kind === 'lease' ? Prefix.leases : Prefix.deleting);

/**
 * Claims as empty objects, `leases/<sha256>/<holder>~<expiry>` and `deleting/<sha256>/…`. S3 lists
 * a written object at once (strong read-after-write consistency, lists included since 2020), which
 * is what the blob guard's handshake relies on between function instances.
 */
export class S3LeaseStore implements LeaseStore {
  constructor(private readonly bucket: S3Bucket) {}

  async put(claim: Claim): Promise<void> {
    await this.bucket.putText(this.keyOf(claim), '');
  }

  async remove(claim: Claim): Promise<void> {
    await this.bucket.delete(this.keyOf(claim));
  }

  async list(kind: ClaimKind, sha256?: string): Promise<Claim[]> {
    const claims: Claim[] = [];
    for await (const page of this.bucket.pages(sha256 === undefined ? prefixOf(kind) : `${prefixOf(kind)}${sha256}/`)) {
      for (const object of page.objects) {
        // `<prefix><sha256>/<holder>~<expiry>` read as the claim name `<sha256>~<holder>~<expiry>`.
        const claim = parseClaimName(kind, object.key.slice(prefixOf(kind).length).replace('/', '~'));
        if (claim !== undefined) claims.push(claim);
      }
    }
    return claims;
  }

  private keyOf(claim: Claim): string {
    return `${prefixOf(claim.kind)}${claim.sha256}/${claimName(claim).slice(claim.sha256.length + 1)}`;
  }
}
