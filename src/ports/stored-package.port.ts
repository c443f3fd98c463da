import type { Readable } from 'node:stream';
import type { StoredBundle } from '../domain/artifact';
import type { ByteRange } from './blob-store.port';

/**
 * Reads single files out of a stored package without copying the package anywhere: what a client
 * that asks for one file of a model (the Hub-compatible API) needs.
 */
export interface StoredPackageReader {
  /**
   * The bytes of one file of the stored zip, whole or a range of its uncompressed content;
   * undefined when the package has no such file.
   */
  openFile(bundle: StoredBundle, path: string, range?: ByteRange): Promise<Readable | undefined>;
  /** The file's sha256, read through once, for packages stored before file digests were recorded. */
  digestFile(bundle: StoredBundle, path: string): Promise<string | undefined>;
}
