import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { fileScan, planScan, SNIFF_BYTES, type ContentScanner, type FileScan } from '../../domain/content-scan';
import { DomainError, ErrorCode } from '../../domain/errors';
import { stageStream } from './zip-stager';

const MAX_NESTING = 3;
const fromReader = promisify<yauzl.RandomAccessReader, number, yauzl.Options, ZipFile>(yauzl.fromRandomAccessReader);
const LOCAL_HEADER_SIGNATURE = 0x04034b50;

/** A byte range of a file on disk: a whole zip, or a stored (uncompressed) zip inside another zip. */
export interface ZipSource {
  readonly path: string;
  readonly start: number;
  readonly size: number;
  /** Where a deflated nested zip is inflated to be read: the instance's staging area, swept after a crash. */
  readonly scratch: string;
}

export type SniffOutcome = { readonly kind: 'scanned'; readonly scan: FileScan } | { readonly kind: 'archive'; readonly format: string } | { readonly kind: 'skipped' };

/**
 * Watches one file's bytes go by: buffers the first few to choose a plan (pickle, header check,
 * nested zip), then feeds the chosen scanner until it has seen enough.
 */
export class EntrySniffer {
  private head: Buffer[] = [];
  private headBytes = 0;
  private scanner: ContentScanner | undefined;
  private archive: string | undefined;
  private decided = false;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly member: boolean,
  ) {}

  get wantsMore(): boolean {
    return !this.decided || (this.scanner?.wantsMore ?? false);
  }

  push(chunk: Buffer): void {
    if (this.decided) {
      if (this.scanner?.wantsMore === true) this.scanner.push(chunk);
      return;
    }
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes >= SNIFF_BYTES) this.decide();
  }

  finish(): SniffOutcome {
    if (!this.decided) this.decide();
    if (this.scanner !== undefined) return { kind: 'scanned', scan: this.scanner.end() };
    return this.archive === undefined ? { kind: 'skipped' } : { kind: 'archive', format: this.archive };
  }

  private decide(): void {
    this.decided = true;
    const seen = Buffer.concat(this.head);
    this.head = [];
    const plan = planScan(this.path, this.size, seen.subarray(0, SNIFF_BYTES), this.member);
    if (plan.kind === 'scan') {
      this.scanner = plan.scanner;
      this.scanner.push(seen);
    } else if (plan.kind === 'archive') {
      this.archive = plan.format;
    }
  }
}

/**
 * Scans the members of a zip found inside the package (a torch checkpoint, an .npz, a zip of
 * pickles): each member is read as a stream and judged; zips inside it are followed to a bound.
 * A stored member is read in place through a byte window; a compressed one is inflated to a temp
 * file first, which is removed afterwards.
 */
export async function scanNestedZip(source: ZipSource, label: string, format: string, depth = 1): Promise<FileScan[]> {
  if (depth > MAX_NESTING) return [fileScan(label, format, [{ verdict: 'dangerous', message: `nests zips more than ${MAX_NESTING} deep; refused rather than read partly` }])];
  let zip: ZipFile;
  try {
    zip = await fromReader(new WindowReader(source), source.size, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false });
  } catch (error) {
    return [unreadable(label, format, error)];
  }
  try {
    const results: FileScan[] = [];
    for (const entry of await entriesOf(zip)) {
      if (entry.fileName.endsWith('/')) continue;
      results.push(...(await scanMember(zip, source, entry, `${label}!${entry.fileName}`, depth)));
    }
    return results.length > 0 ? results : [fileScan(label, format, [])];
  } catch (error) {
    return [unreadable(label, format, error)];
  } finally {
    zip.close();
  }
}

/** Follows an entry of `zip` that is itself a zip. */
export async function scanZipEntry(zip: ZipFile, source: ZipSource, entry: Entry, label: string, format: string, depth: number): Promise<FileScan[]> {
  try {
    if (entry.compressionMethod === 0) {
      const start = source.start + (await dataOffset(source, entry));
      return await scanNestedZip({ ...source, start, size: entry.compressedSize }, label, format, depth);
    }
    return await withInflated(zip, entry, source.scratch, (inflated) => scanNestedZip(inflated, label, format, depth));
  } catch (error) {
    return [unreadable(label, format, error)];
  }
}

async function scanMember(zip: ZipFile, source: ZipSource, entry: Entry, label: string, depth: number): Promise<FileScan[]> {
  const sniffer = new EntrySniffer(label, entry.uncompressedSize, true);
  await feed(zip, entry, sniffer);
  const outcome = sniffer.finish();
  if (outcome.kind === 'scanned') return [outcome.scan];
  if (outcome.kind === 'archive') return scanZipEntry(zip, source, entry, label, outcome.format, depth + 1);
  return [];
}

/** Streams an entry into the sniffer, stopping as soon as it has seen enough. */
function feed(zip: ZipFile, entry: Entry, sniffer: EntrySniffer): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error !== null || stream === undefined) {
        reject(error ?? new Error('no stream'));
        return;
      }
      stream.on('data', (chunk: Buffer) => {
        sniffer.push(chunk);
        if (!sniffer.wantsMore) {
          stream.destroy();
          resolve();
        }
      });
      stream.once('error', reject);
      stream.once('end', () => resolve());
    });
  });
}

function entriesOf(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(entries));
    zip.once('error', reject);
    zip.readEntry();
  });
}

/** Where a stored entry's bytes begin: after its local header, whose name and extra lengths vary. */
async function dataOffset(source: ZipSource, entry: Entry): Promise<number> {
  const handle = await open(source.path, 'r');
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, source.start + entry.relativeOffsetOfLocalHeader);
    if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new Error(`entry "${entry.fileName}" has no local file header`);
    return entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

async function withInflated<T>(zip: ZipFile, entry: Entry, scratch: string, use: (source: ZipSource) => Promise<T>): Promise<T> {
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, opened) => (error === null ? resolve(opened) : reject(error))));
  // yauzl already stops an entry that inflates past its declared size; the bound says so again.
  const staged = await stageStream(stream, entry.uncompressedSize, () => new DomainError(ErrorCode.InvalidPackage, `${entry.fileName} inflates past its declared size`), scratch);
  try {
    return await use({ path: staged.path, start: 0, size: staged.size, scratch });
  } finally {
    await staged.dispose();
  }
}

function unreadable(label: string, format: string, error: unknown): FileScan {
  const reason = error instanceof Error ? error.message : String(error);
  return fileScan(label, format, [{ verdict: 'dangerous', message: `is a zip (as ${format} files are) that cannot be read: ${reason}; a loader with a laxer reader might still find a pickle in it` }]);
}

class WindowReader extends yauzl.RandomAccessReader {
  constructor(private readonly source: ZipSource) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (end <= start) return Readable.from([]);
    return createReadStream(this.source.path, { start: this.source.start + start, end: this.source.start + end - 1 });
  }
}
