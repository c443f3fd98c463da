import { LRUCache } from 'lru-cache';
import { blobsOf, type ArtifactRecord } from '../../../domain/artifact';
import { DomainError, ErrorCode } from '../../../domain/errors';
import type { ArtifactFilter, ArtifactRepository, GroupChange, SearchableText } from '../../../ports/artifact-repository.port';
import { mapLimit, type ListedObject, type S3Bucket, type WriteCondition, type WriteOutcome } from './s3-bucket';
import { S3GroupCommits, type GroupRecords, type GroupRef, type GroupStatus, type GroupTag, type StoredRecord } from './s3-group-commit';
import {
  Prefix, idOfMarkerKey, idOfRecordKey, markerDirectory, markerKey, markerPrefix, markersAfter, newNonce, recordKey,
} from './s3-layout';

/** What readers see of a record: its JSON and searchable text. */
interface Visible {
  readonly text: string;
  readonly searchable: SearchableText;
}

/** A stored record as read, by ETag; `tag` when a group commit has not finished with it. */
interface Cached extends Visible {
  readonly etag: string;
  readonly tag?: GroupTag;
}

/** A group's status as seen by one batch of reads; undefined once the group is gone. */
type StatusLookup = (group: GroupRef) => Promise<GroupStatus | undefined>;

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
  /**
   * Group commits younger than this may still be in a live committer's hands, so recovery leaves
   * them alone; it must exceed the longest a commit can take (a Lambda's timeout).
   */
  readonly groupGraceMs?: number;
  readonly cacheBytes?: number;
  readonly now?: () => number;
}

const READ_CONCURRENCY = 16;
const PAGE = 1000;

/**
 * Records as JSON objects under `artifacts/<id>`, found through marker keys (see s3-layout.ts).
 * A write puts its markers first and the record last with a conditional PUT (If-None-Match: * to
 * create, If-Match: <etag> to update), so a writer that dies midway leaves only markers, which
 * readers ignore because the record is the truth. A record a group commit has not finished with
 * carries the group's tag, and readers show what it replaced until the group is committed
 * (s3-group-commit.ts). Record bodies are cached by ETag: a listing
 * carries every ETag, so a warm instance pages through `artifacts/` without reading records again.
 */
export class S3ArtifactRepository implements ArtifactRepository {
  private readonly cache: LRUCache<string, Cached>;
  private readonly markerGraceMs: number;
  private readonly groupGraceMs: number;
  private readonly now: () => number;
  private readonly groups: S3GroupCommits;
  /** Committed is final, so it is remembered; other statuses are read again each time. */
  private readonly committedGroups = new LRUCache<string, true>({ max: 4096 });

  constructor(
    private readonly bucket: S3Bucket,
    options: S3ArtifactRepositoryOptions = {},
  ) {
    this.cache = new LRUCache<string, Cached>({ maxSize: options.cacheBytes ?? 32 * 1024 * 1024, sizeCalculation: (entry) => entry.text.length + 256 });
    this.markerGraceMs = options.markerGraceMs ?? 10 * 60 * 1000;
    this.groupGraceMs = options.groupGraceMs ?? 2 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.groups = new S3GroupCommits(bucket, this.groupRecords());
  }

  async get(id: string): Promise<ArtifactRecord | undefined> {
    const stored = await this.read({ id });
    const visible = stored === undefined ? undefined : await this.visible(id, stored, this.statusLookup());
    return visible === undefined ? undefined : parse(visible.text);
  }

  async create(record: ArtifactRecord): Promise<void> {
    const text = JSON.stringify(record);
    const added = await this.putMarkers(record.id, markerDirectories(record));
    const outcome = await this.writeOrUndo(recordKey(record.id), text, { ifNoneMatch: '*' }, added);
    if (!outcome.ok) throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${record.id} exists already`);
    this.remember(record.id, text, outcome.etag);
  }

  async update(record: ArtifactRecord, expectedRevision: number): Promise<void> {
    const current = await this.current(record.id);
    if (current === undefined) throw new DomainError(ErrorCode.ArtifactNotFound, `artifact ${record.id} does not exist`);
    if (current.visible.revision !== expectedRevision) throw conflict(record.id);
    const before = markerDirectories(current.visible);
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

  /** The protocol is in s3-group-commit.ts and docs/group-commits.md. */
  async commitGroup(change: GroupChange): Promise<void> {
    await this.groups.commit(change);
  }

  async recoverGroups(): Promise<number> {
    return this.groups.recover(this.now(), this.groupGraceMs);
  }

  async delete(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const current = await this.current(id);
      if (current === undefined) return false;
      const markers = await this.markerKeys(id, markerDirectories(current.visible));
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
    return this.collect(index, after, limit, (visible) => {
      const record = parse(visible.text);
      return matches(record) ? record : undefined;
    });
  }

  async scanText(after: string | undefined, limit: number): Promise<SearchableText[]> {
    return this.collect((from, max) => this.recordPage(from, max), after, limit, (visible) => ({ ...visible.searchable }));
  }

  async isBlobReferenced(sha256: string): Promise<boolean> {
    const directory = markerDirectory.ref(sha256);
    for await (const page of this.bucket.pages(directory)) {
      for (const marker of page.objects) {
        if (this.isYoung(marker)) return true;
        const stored = await this.read({ id: idOfMarkerKey(marker.key) });
        // Both sides of an unfinished group count: it may yet be committed or undone.
        const versions = stored === undefined ? [] : [parse(stored.text), ...(stored.tag?.previous === undefined ? [] : [stored.tag.previous])];
        if (versions.some((record) => blobsOf(record).includes(sha256))) return true;
        // An old marker whose record is gone or moved on: a writer died before cleaning it up.
        await this.bucket.deleteQuietly([marker.key]);
      }
    }
    return false;
  }

  /** A bucket has no cheap change counter: every read resolves what it depends on afresh. */
  async changeMark(): Promise<undefined> {
    return undefined;
  }

  /** Stored records, less those an unfinished group created or deleted that readers do not see. */
  async count(): Promise<number> {
    const stored = new Set<string>();
    for await (const page of this.bucket.pages(Prefix.artifacts)) page.objects.forEach((object) => stored.add(idOfRecordKey(object.key)));
    const uncertain = [...new Set(await this.groups.inFlight())].filter((id) => stored.has(id));
    const hidden = await mapLimit(uncertain, READ_CONCURRENCY, async (id) => (await this.get(id)) === undefined);
    return stored.size - hidden.filter(Boolean).length;
  }

  async clear(): Promise<void> {
    // Records first: once they are gone nothing is visible, whatever happens to the markers.
    for (const prefix of [Prefix.artifacts, Prefix.groups, Prefix.names, Prefix.types, Prefix.refs, Prefix.sources]) await this.bucket.deletePrefix(prefix);
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
    accept: (visible: Visible) => T | undefined,
  ): Promise<T[]> {
    const found: T[] = [];
    let cursor = after;
    for (let round = 0; found.length < limit; round += 1) {
      const page = await source(cursor, Math.min(PAGE, (limit - found.length) * 2 ** Math.min(round, 10)));
      for (let start = 0; start < page.candidates.length; start += READ_CONCURRENCY) {
        const chunk = page.candidates.slice(start, start + READ_CONCURRENCY);
        const read = await Promise.all(chunk.map((candidate) => this.read(candidate)));
        // Group statuses are looked up only after the whole chunk was read (see visible()).
        const lookup = this.statusLookup();
        const shown = await Promise.all(read.map((entry, index) => (entry === undefined ? undefined : this.visible(chunk[index]?.id ?? '', entry, lookup))));
        for (const entry of shown) {
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
    const { $group: tag, ...record } = JSON.parse(text) as TaggedJson;
    const entry: Cached = tag === undefined
      ? { etag, text, searchable: searchableOf(record) }
      : { etag, text: JSON.stringify(record), searchable: searchableOf(record), tag };
    this.cache.set(id, entry);
    return entry;
  }

  /**
   * What readers see of a record a group may have tagged. The status is looked up after the record
   * was read, and a batch of reads looks statuses up only after all of its reads: if any record of
   * the batch was already untagged by a finished group, the commit point came before every lookup,
   * which then all answer committed (or gone); if a lookup answers pending, no record of the batch
   * had been untagged yet. Either way the batch sees the group whole or not at all.
   */
  private async visible(id: string, entry: Cached, lookup: StatusLookup): Promise<Visible | undefined> {
    let stored = entry;
    for (let attempt = 0; stored.tag !== undefined; attempt += 1) {
      const status = await lookup(stored.tag);
      if (status !== undefined || attempt > 0) return visibleOf(shown(stored, status === 'committed'));
      // The group finished between the two reads (or never will, after a committer lost to recovery):
      // the record as it is now tells which.
      const again = await this.read({ id });
      if (again === undefined) return undefined;
      stored = again;
    }
    return stored;
  }

  private statusLookup(): StatusLookup {
    const seen = new Map<string, Promise<GroupStatus | undefined>>();
    return (group) => {
      const key = `${group.id} ${group.attempt}`;
      if (this.committedGroups.has(key)) return Promise.resolve('committed');
      let status = seen.get(key);
      if (status === undefined) {
        status = this.groups.status(group).then((found) => {
          if (found === 'committed') this.committedGroups.set(key, true);
          return found;
        });
        seen.set(key, status);
      }
      return status;
    };
  }

  /** The record a plain write replaces, as readers see it; a group still deciding holds it. */
  private async current(id: string, settled = false): Promise<(StoredRecord & { readonly visible: ArtifactRecord }) | undefined> {
    const entry = await this.read({ id });
    if (entry === undefined) return undefined;
    const stored = toStored(entry);
    if (entry.tag === undefined) return { ...stored, visible: stored.body };
    const status = await this.statusLookup()(entry.tag);
    if (status === 'pending' || status === 'aborted') {
      // A group whose committer died holds its records only until someone settles it.
      if (!settled && (await this.groups.settleIfStale(entry.tag, this.now(), this.groupGraceMs))) return this.current(id, true);
      throw new DomainError(ErrorCode.ArtifactConflict, `artifact ${id} is being changed by a transaction; retry`, { artifact_id: id });
    }
    const visible = shown(entry, status === 'committed');
    return visible === undefined ? undefined : { ...stored, visible };
  }

  private groupRecords(): GroupRecords {
    return {
      stored: async (id) => {
        const entry = await this.read({ id });
        return entry === undefined ? undefined : toStored(entry);
      },
      current: (id) => this.current(id),
      write: async (body, tag, condition) => {
        const text = JSON.stringify(tag === undefined ? body : { ...body, $group: tag });
        const outcome = await this.bucket.putText(recordKey(body.id), text, condition);
        if (outcome.ok) this.remember(body.id, text, outcome.etag);
        return outcome;
      },
      remove: async (id, etag) => {
        this.cache.delete(id);
        return this.bucket.delete(recordKey(id), etag);
      },
      addMarkers: async (record, before, nonce) => {
        const existing = before === undefined ? [] : markerDirectories(before);
        await this.putMarkers(record.id, markerDirectories(record).filter((directory) => !existing.includes(directory)), nonce);
      },
      dropMarkers: (record, nonce) => this.bucket.deleteQuietly(markerDirectories(record).map((directory) => markerKey(directory, record.id, nonce))),
      markersOnlyOf: (record, kept) => {
        const shared = kept === undefined ? [] : markerDirectories(kept);
        return this.markerKeys(record.id, markerDirectories(record).filter((directory) => !shared.includes(directory)));
      },
    };
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

  private async putMarkers(id: string, directories: readonly string[], nonce = newNonce()): Promise<string[]> {
    const keys = directories.map((directory) => markerKey(directory, id, nonce));
    // Every put settles before cleaning up, so none still in flight can land after its removal.
    const failures = await mapLimit(keys, READ_CONCURRENCY, (key) => this.bucket.putText(key, '').then(() => undefined, (error: unknown) => ({ error })));
    const failure = failures.find((outcome) => outcome !== undefined);
    if (failure !== undefined) {
      await this.bucket.deleteQuietly(keys);
      throw failure.error;
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

type TaggedJson = ArtifactRecord & { readonly $group?: GroupTag };

const searchableOf = ({ id, name, type, card }: ArtifactRecord): SearchableText => ({ id, name, type, cardText: card?.text ?? '' });

const toStored = (entry: Cached): StoredRecord => ({ etag: entry.etag, body: parse(entry.text), ...(entry.tag === undefined ? {} : { tag: entry.tag }) });

/** A tagged record as readers see it: the group's version once committed, what it replaced before. */
function shown(entry: Cached, committed: boolean): ArtifactRecord | undefined {
  if (entry.tag === undefined) return parse(entry.text);
  if (committed) return entry.tag.deletes === true ? undefined : parse(entry.text);
  return entry.tag.deletes === true ? parse(entry.text) : entry.tag.previous;
}

function visibleOf(record: ArtifactRecord | undefined): Visible | undefined {
  return record === undefined ? undefined : { text: JSON.stringify(record), searchable: searchableOf(record) };
}

const conflict = (id: string): DomainError =>
  new DomainError(ErrorCode.ArtifactConflict, `artifact ${id} was changed by someone else; retry`, { artifact_id: id });

/** Every marker directory a record should be findable under. */
function markerDirectories(record: ArtifactRecord): string[] {
  const source = record.sourceKey === undefined ? [] : [markerDirectory.source(record.sourceKey)];
  return [markerDirectory.name(record.name), markerDirectory.type(record.type), ...blobsOf(record).map(markerDirectory.ref), ...source];
}
