import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { blobsOf } from '../../../src/domain/artifact';
import type { ArtifactRepository } from '../../../src/ports/artifact-repository.port';
import type { BlobStore } from '../../../src/ports/blob-store.port';
import { listBlobs } from '../registry-probes';

/** The digests of every blob a store holds. */
export type BlobLister = () => Promise<string[]>;

/** A local data directory: the files under `blobs/` are named by their digest. */
export const localBlobLister = (dataDir: string): BlobLister => () => listBlobs(dataDir);

/** An S3 bucket: `blobs/<ab>/<sha256>`, listed page by page. */
export const s3BlobLister = (client: S3Client, bucket: string): BlobLister => async () => {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'blobs/', ...(token === undefined ? {} : { ContinuationToken: token }) }));
    for (const item of page.Contents ?? []) found.push((item.Key ?? '').split('/').pop() ?? '');
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found.sort();
};

/** A store that cannot be listed (memory): every digest ever stored is asked for with `head`. */
export const probedBlobLister = (store: BlobStore, known: () => Iterable<string>): BlobLister => async () => {
  const present: string[] = [];
  for (const sha of known()) if ((await store.head(sha)) !== undefined) present.push(sha);
  return present.sort();
};

export interface Consistency {
  readonly records: number;
  /** Blobs no record refers to. */
  readonly orphans: string[];
  /** `<record id> <sha256>` for each blob a record refers to that the store lacks. */
  readonly missing: string[];
}

/** Every record's blobs exist and every blob is referenced: read straight from the stores, no HTTP. */
/** `staged`: whether an open transaction holds the blob (staged content is no orphan). */
export async function storeConsistency(repository: ArtifactRepository, blobs: BlobLister, staged: (sha: string) => Promise<boolean> = async () => false): Promise<Consistency> {
  const stored = new Set(await blobs());
  const referenced = new Set<string>();
  const missing: string[] = [];
  let records = 0;
  let after: string | undefined;
  for (;;) {
    const page = await repository.list({}, after, 100);
    for (const record of page) {
      records += 1;
      for (const sha of blobsOf(record)) {
        referenced.add(sha);
        if (!stored.has(sha)) missing.push(`${record.id} ${sha}`);
      }
    }
    if (page.length < 100) break;
    after = page[page.length - 1]?.id;
  }
  const unreferenced = [...stored].filter((sha) => !referenced.has(sha));
  const held = await Promise.all(unreferenced.map((sha) => staged(sha)));
  return { records, orphans: unreferenced.filter((_, index) => !held[index]).sort(), missing: missing.sort() };
}
