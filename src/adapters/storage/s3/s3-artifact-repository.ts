import { LRUCache } from 'lru-cache';
import { blobsOf, type ArtifactRecord } from '../../../domain/artifact';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { ArtifactFilter, ArtifactRepository, GroupChange, SearchableText } from '../../../ports/artifact-repository.port';
import { mapLimit, type ListedObject, type S3Bucket, type WriteCondition, type WriteOutcome } from './s3-bucket';
import {
  Prefix, idOfMarkerKey, idOfRecordKey, markerDirectory, markerKey, markerPrefix, markersAfter, newNonce, recordKey,
} from './s3-layout';

interface Cached {
  readonly etag: string;
  readonly text: string;
  readonly searchable: SearchableText;
}

/** A candidate id from an index, with the record's ETag when the index is the record listing itself. */
interface Candidate {
  readonly id: string;
  readonly etag?: string;
}

interface CandidatePage {
  readonly candidates: readonly Candidate[];
  /** The greatest id this page covered; the next page starts after it. */
  readonly last?: string;
  readonly exhausted: boolean;
}

type PageSource = (after: string | undefined, max: number) => Promise<CandidatePage>;

export interface S3ArtifactRepositoryOptions {
  /** Markers younger than this may belong to a write still in flight, so they are never judged stale. */
  readonly markerGraceMs?: number;
  readonly cacheBytes?: number;
  readonly now?: () => number;
}

const READ_CONCURRENCY = 16;
const PAGE = 1000;

/**
 * Records as JSON objects under `artifacts/<id>`, found through marker keys (see s3-layout.ts).
 * A write puts its markers first and the record last with a conditional PUT (If-None-Match: * to
 * create, If-Match: <etag> to update), so a writer that dies midway leaves only markers, which
 * readers ignore because the record is the truth. Record bodies are cached by ETag: a listing
 * carries every ETag, so a warm instance pages through `artifacts/` without reading records again.
 */
export class S3ArtifactRepository implements ArtifactRepository {
  private readonly cache: LRUCache<string, Cached>;
  private readonly markerGraceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly bucket: S3Bucket,
    options: S3ArtifactRepositoryOptions = {},
  ) {
    this.cache = new LRUCache<string, Cached>({ maxSize: options.cacheBytes ?? 32 * 1024 * 1024, sizeCalculation: (entry) => entry.text.length + 256 });
    this.markerGraceMs = options.markerGraceMs ?? 10 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  async get(id: string): Promise<ArtifactRecord | undefined> {
    const stored = await this.read({ id });
    return stored === undefined ? undefined : parse(stored.text);
  }

  async create(record: ArtifactRecord): Promise<void> {
    const text = JSON.stringify(record);
    const added = await this.putMarkers(record.id, markerDirectories(record));
    const outcome = await this.writeOrUndo(recordKey(record.id), text, { ifNoneMatch: '*' }, added);
    if (!outcome.ok) throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${record.id} exists already`);
    this.remember(record.id, text, outcome.etag);
  }

  async update(record: ArtifactRecord, expectedRevision: number): Promise<void> {
    const current = await this.read({ id: record.id });
    if (current === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} does not exist`);
    if (parse(current.text).revision !== expectedRevision) throw conflict(record.id);
    const before = markerDirectories(parse(current.text));
    const after = markerDirectories(record);
    // Listed before the record changes: markers written later belong to later writers and must stay.
    const obsolete = await this.markerKeys(record.id, before.filter((directory) => !after.includes(directory)));
    const added = await this.putMarkers(record.id, after.filter((directory) => !before.includes(directory)));
    const text = JSON.stringify(record);
    const outcome = await this.writeOrUndo(recordKey(record.id), text, { ifMatch: current.etag }, added);
    if (!outcome.ok && outcome.reason === 'missing') throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} does not exist`);
    if (!outcome.ok) throw conflict(record.id);
    this.remember(record.id, text, outcome.etag);
    await this.bucket.deleteQuietly(obsolete);
  }

  // Placeholder until the atomic group commit of this store lands: refuses rather than applying half.
  async commitGroup(change: GroupChange): Promise<void> {
    throw new DomainError(ErrorCode.InvalidInput, `group commits are not available in this storage mode yet (group ${change.id})`);
  }

  async recoverGroups(): Promise<number> {
    return 0;
  }

  async delete(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.read({ id });
      if (current === undefined) return false;
      const markers = await this.markerKeys(id, markerDirectories(parse(current.text)));
      const result = await this.bucket.delete(recordKey(id), current.etag);
      if (result === 'precondition') continue;
      this.cache.delete(id);
      // 'missing' right after reading it: another writer deleted it, or this delete landed and its
      // answer was lost, so the SDK's retry found nothing. Gone either way; reporting "not there"
      // would turn a deletion that happened into a 404 with no audit entry and its content kept.
      await this.bucket.deleteQuietly(markers);
      return true;
    }
    throw conflict(id);
  }

  async list(filter: ArtifactFilter, after: string | undefined, limit: number): Promise<ArtifactRecord[]> {
    const types = filter.types ?? [];
    const matches = (record: ArtifactRecord): boolean =>
      (filter.name === undefined || record.name === filter.name) && (types.length === 0 || types.includes(record.type))
      && (filter.sourceKey === undefined || record.sourceKey === filter.sourceKey);
    const index = filter.sourceKey === undefined ? this.indexFor(filter.name, types) : this.sourceIndex(filter.sourceKey);
    return this.collect(index, after, limit, (cached) => {
      const record = parse(cached.text);
      return matches(record) ? record : undefined;
    });
  }

  async scanText(after: string | undefined, limit: number): Promise<SearchableText[]> {
    return this.collect((from, max) => this.recordPage(from, max), after, limit, (cached) => ({ ...cached.searchable }));
  }

  async isBlobReferenced(sha256: string): Promise<boolean> {
    const directory = markerDirectory.ref(sha256);
    for await (const page of this.bucket.pages(directory)) {
      for (const marker of page.objects) {
        if (this.isYoung(marker)) return true;
        const stored = await this.read({ id: idOfMarkerKey(marker.key) });
        if (stored !== undefined && blobsOf(parse(stored.text)).includes(sha256)) return true;
        // An old marker whose record is gone or moved on: a writer died before cleaning it up.
        await this.bucket.deleteQuietly([marker.key]);
      }
    }
    return false;
  }

  async count(): Promise<number> {
    let count = 0;
    for await (const page of this.bucket.pages(Prefix.artifacts)) count += page.objects.length;
    return count;
  }

  async clear(): Promise<void> {
    // Records first: once they are gone nothing is visible, whatever happens to the markers.
    for (const prefix of [Prefix.artifacts, Prefix.names, Prefix.types, Prefix.refs, Prefix.sources]) await this.bucket.deletePrefix(prefix);
    this.cache.clear();
  }

  /**
   * Pages through candidates in id order, reading and checking them a few at a time, until `limit`
   * match or the index ends. A page asks for what is still missing and doubles while candidates
   * keep failing the filter, so a selective filter costs few listings and no read is wasted past
   * the last match.
   */
  private async collect<T>(
    source: PageSource,
    after: string | undefined,
    limit: number,
    accept: (cached: Cached) => T | undefined,
  ): Promise<T[]> {
    const found: T[] = [];
    let cursor = after;
    for (let round = 0; found.length < limit; round += 1) {
      const page = await source(cursor, Math.min(PAGE, (limit - found.length) * 2 ** Math.min(round, 10)));
      for (let start = 0; start < page.candidates.length; start += READ_CONCURRENCY) {
        const chunk = page.candidates.slice(start, start + READ_CONCURRENCY);
        for (const entry of await Promise.all(chunk.map((candidate) => this.read(candidate)))) {
          const accepted = entry === undefined ? undefined : accept(entry);
          if (accepted !== undefined) found.push(accepted);
          if (found.length === limit) return found;
        }
      }
      if (page.exhausted || page.last === undefined) return found;
      cursor = page.last;
    }
    return found;
  }

  /** The narrowest index for a filter: a name's markers, else the types' markers, else every record. */
  private indexFor(name: string | undefined, types: readonly string[]): PageSource {
    if (name !== undefined) return (after, max) => this.markerPage(markerDirectory.name(name), after, max);
    if (types.length > 0) return (after, max) => this.mergedMarkerPages(types.map(markerDirectory.type), after, max);
    return (after, max) => this.recordPage(after, max);
  }

  /** A canonical source's markers: at most a few records, whatever the filter's other fields. */
  private sourceIndex(sourceKey: string): PageSource {
    return (after, max) => this.markerPage(markerDirectory.source(sourceKey), after, max);
  }

  private async recordPage(after: string | undefined, max: number): Promise<CandidatePage> {
    const page = await this.bucket.list(Prefix.artifacts, after === undefined ? undefined : recordKey(after), max);
    const candidates = page.objects.map((object) => ({ id: idOfRecordKey(object.key), etag: object.etag }));
    return { candidates, last: candidates[candidates.length - 1]?.id, exhausted: !page.truncated };
  }

  private async markerPage(directory: string, after: string | undefined, max: number): Promise<CandidatePage> {
    const page = await this.bucket.list(directory, markersAfter(directory, after), max);
    const ids = [...new Set(page.objects.map((object) => idOfMarkerKey(object.key)))];
    return { candidates: ids.map((id) => ({ id })), last: ids[ids.length - 1], exhausted: !page.truncated };
  }

  /** Several marker directories as one id-ordered index: ids up to the smallest unfinished page's end. */
  private async mergedMarkerPages(directories: readonly string[], after: string | undefined, max: number): Promise<CandidatePage> {
    const pages = await Promise.all(directories.map((directory) => this.markerPage(directory, after, max)));
    const open = pages.filter((page) => !page.exhausted && page.last !== undefined).map((page) => page.last as string);
    const horizon = open.length === 0 ? undefined : open.reduce((a, b) => (a < b ? a : b));
    const ids = [...new Set(pages.flatMap((page) => page.candidates.map((candidate) => candidate.id)))]
      .filter((id) => horizon === undefined || id <= horizon)
      .sort();
    return { candidates: ids.map((id) => ({ id })), last: horizon ?? ids[ids.length - 1], exhausted: horizon === undefined };
  }

  /** The record, from the cache when its ETag still matches; one conditional GET otherwise. */
  private async read(candidate: Candidate): Promise<Cached | undefined> {
    const cached = this.cache.get(candidate.id);
    if (cached !== undefined && candidate.etag !== undefined && cached.etag === candidate.etag) return cached;
    const result = await this.bucket.getText(recordKey(candidate.id), cached?.etag);
    if (result === 'unchanged' && cached !== undefined) return cached;
    if (result === undefined || result === 'unchanged') {
      this.cache.delete(candidate.id);
      return undefined;
    }
    return this.remember(candidate.id, result.text, result.etag);
  }

  private remember(id: string, text: string, etag: string): Cached {
    const { name, type, card } = parse(text);
    const entry: Cached = { etag, text, searchable: { id, name, type, cardText: card?.text ?? '' } };
    this.cache.set(id, entry);
    return entry;
  }

  /**
   * The conditional record write. If it does not land, this writer's own markers are removed — unless
   * the stored record is byte-for-byte ours, which means an earlier attempt of this very write landed
   * and only its answer was lost.
   */
  private async writeOrUndo(key: string, text: string, condition: WriteCondition, added: readonly string[]): Promise<WriteOutcome> {
    let outcome: WriteOutcome;
    try {
      outcome = await this.bucket.putText(key, text, condition);
    } catch (error) {
      // The write may have landed with only its answer lost: look before undoing. If even looking
      // fails, the markers stay; they are harmless without a record and protect the blobs if not.
      const stored = await this.bucket.getText(key).catch(() => 'unknown' as const);
      if (typeof stored === 'object' && stored.text === text) return { ok: true, etag: stored.etag };
      if (stored !== 'unknown') await this.bucket.deleteQuietly(added);
      throw error;
    }
    if (outcome.ok) return outcome;
    const stored = await this.bucket.getText(key);
    if (typeof stored === 'object' && stored.text === text) return { ok: true, etag: stored.etag };
    await this.bucket.deleteQuietly(added);
    return outcome;
  }

  private async putMarkers(id: string, directories: readonly string[]): Promise<string[]> {
    const nonce = newNonce();
    const keys = directories.map((directory) => markerKey(directory, id, nonce));
    try {
      await mapLimit(keys, READ_CONCURRENCY, (key) => this.bucket.putText(key, ''));
    } catch (error) {
      await this.bucket.deleteQuietly(keys);
      throw error;
    }
    return keys;
  }

  private async markerKeys(id: string, directories: readonly string[]): Promise<string[]> {
    const pages = await mapLimit(directories, READ_CONCURRENCY, (directory) => this.bucket.list(markerPrefix(directory, id)));
    return pages.flatMap((page) => page.objects.map((object) => object.key));
  }

  private isYoung(marker: ListedObject): boolean {
    return this.now() - marker.lastModified.getTime() < this.markerGraceMs;
  }
}

const parse = (text: string): ArtifactRecord => JSON.parse(text) as ArtifactRecord;

const conflict = (id: string): DomainError =>
  new DomainError(ErrorCode.ArtifactConflict, `artifact ${id} was changed by someone else; retry`);

/** Every marker directory a record should be findable under. */
function markerDirectories(record: ArtifactRecord): string[] {
  const source = record.sourceKey === undefined ? [] : [markerDirectory.source(record.sourceKey)];
  return [markerDirectory.name(record.name), markerDirectory.type(record.type), ...blobsOf(record).map(markerDirectory.ref), ...source];
}
