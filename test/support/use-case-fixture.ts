import type { FileScan } from '../../src/domain/content-scan';
import { Readable } from 'node:stream';
import type { ArtifactRecord, ArtifactType } from '../../src/domain/artifact';
import { DEFAULT_PACKAGE_LIMITS, type ArchiveEntry } from '../../src/domain/package-policy';
import { ALL_PERMISSIONS, type User } from '../../src/domain/user';
import { BlobGuard } from '../../src/application/blob-guard';
import { WriteGate } from '../../src/application/write-gate';
import { PackageIntake } from '../../src/application/package-intake';
import type { PackageArchive, PackageInspection } from '../../src/ports/package-archive.port';
import type { CodeHost, ModelHub } from '../../src/ports/source-hubs.port';
import { EvidenceCollector } from '../../src/application/evidence-collector';
import { LineageService } from '../../src/application/lineage-service';
import { RatingService } from '../../src/application/rating-service';
import type { Clock, IdGenerator, Logger } from '../../src/ports/system.port';
import { MemoryArtifactRepository } from '../../src/adapters/storage/memory/memory-artifact-repository';
import { MemoryBlobStore } from '../../src/adapters/storage/memory/memory-blob-store';
import { MemoryLeaseStore } from '../../src/adapters/storage/memory/memory-lease-store';
import { MemoryAuditLog, MemoryTokenStore, MemoryUserStore } from '../../src/adapters/storage/memory/memory-user-stores';

export const admin: User = { name: 'admin', isAdmin: true, permissions: ALL_PERMISSIONS };
export const reader: User = { name: 'reader', isAdmin: false, permissions: ['search', 'download'] };
export const uploader: User = { name: 'uploader', isAdmin: false, permissions: ['upload', 'search', 'download'] };

export class FixedClock implements Clock {
  constructor(public current = new Date('2026-03-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
}

/** Ids shaped like ULIDs, increasing, so ordering behaves as in production. */
export class SequentialIds implements IdGenerator {
  private n = 0;
  next(): string {
    this.n += 1;
    return `01JD${String(this.n).padStart(22, '0')}`;
  }
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Packages are named by "path" and described by their file list; bytes derive from the name. */
export class FakePackageArchive implements PackageArchive {
  readonly packages = new Map<string, { files: string[]; readme?: string; failInspect?: Error; scan?: FileScan[] }>();

  add(path: string, files: string[], readme?: string): string {
    this.packages.set(path, { files, ...(readme === undefined ? {} : { readme }) });
    return path;
  }

  async inspect(zipPath: string): Promise<PackageInspection> {
    const pkg = this.packages.get(zipPath);
    if (pkg === undefined) throw new Error(`no package ${zipPath}`);
    if (pkg.failInspect !== undefined) throw pkg.failInspect;
    const files: ArchiveEntry[] = pkg.files.map((path) => ({ path, uncompressedSize: path.length * 10, compressedSize: path.length, isDirectory: false, isSymlink: false }));
    return { files, scan: pkg.scan ?? [], ...(pkg.readme === undefined ? {} : { readme: pkg.readme, cardMetadata: {} }) };
  }

  async scanStream(content: Readable): Promise<FileScan[]> {
    content.destroy();
    return [];
  }

  open(zipPath: string): Readable {
    return Readable.from([Buffer.from(`zip:${zipPath}`)]);
  }

  repack(zipPath: string, paths: readonly string[]): Readable {
    return Readable.from([Buffer.from(`zip:${zipPath}:${paths.join(',')}`)]);
  }
}

export function useCaseFixture() {
  const repository = new MemoryArtifactRepository();
  const blobs = new MemoryBlobStore();
  const audit = new MemoryAuditLog();
  const users = new MemoryUserStore();
  const tokens = new MemoryTokenStore();
  const archive = new FakePackageArchive();
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const claims = new MemoryLeaseStore();
  const guard = new BlobGuard(claims, blobs, clock);
  const gate = new WriteGate();
  const intake = new PackageIntake(archive, blobs, repository, guard, DEFAULT_PACKAGE_LIMITS, silentLogger, clock, gate);
  return { repository, blobs, audit, users, tokens, archive, clock, ids, claims, guard, gate, intake };
}

/** A stored record ("object mother") with realistic defaults; override what a test cares about. */
export function aRecord(overrides: Partial<ArtifactRecord> & { id: string }): ArtifactRecord {
  const sha = (seed: string) => seed.padEnd(64, '0').slice(0, 64).replace(/[^0-9a-f]/g, 'a');
  return {
    type: 'model' as ArtifactType,
    name: 'bert-base-uncased',
    source: { kind: 'upload' },
    package: {
      full: { sha256: sha(`f${overrides.id.toLowerCase()}`), size: 1000, fileCount: 2 },
      parts: { weights: { sha256: sha(`e${overrides.id.toLowerCase()}`), size: 800, fileCount: 1 } },
      files: [{ path: 'model.safetensors', size: 800, part: 'weights' }, { path: 'README.md', size: 200, part: 'docs' }],
    },
    createdAt: '2026-03-01T12:00:00.000Z',
    createdBy: 'admin',
    updatedAt: '2026-03-01T12:00:00.000Z',
    revision: 1,
    ...overrides,
  };
}

/** Hubs for use-case tests that must not be asked anything: any call fails the test loudly. */
export const unreachableHub: ModelHub = {
  info: () => Promise.reject(new Error('the hub must not be called here')),
  listFiles: () => Promise.reject(new Error('the hub must not be called here')),
  listTags: () => Promise.reject(new Error('the hub must not be called here')),
  readText: () => Promise.reject(new Error('the hub must not be called here')),
  stage: () => Promise.reject(new Error('the hub must not be called here')),
};
export const unreachableCodeHost: CodeHost = {
  repository: () => Promise.reject(new Error('the code host must not be called here')),
  listTags: () => Promise.reject(new Error('the code host must not be called here')),
  readme: () => Promise.reject(new Error('the code host must not be called here')),
  stage: () => Promise.reject(new Error('the code host must not be called here')),
  resolveRef: () => Promise.reject(new Error('the code host must not be called here')),
  stageDirectory: () => Promise.reject(new Error('the code host must not be called here')),
  history: () => Promise.reject(new Error('the code host must not be called here')),
};

export function ratingServiceFor(
  f: Pick<ReturnType<typeof useCaseFixture>, 'repository' | 'clock'>,
  options: { hub?: ModelHub; code?: CodeHost; minScore?: number } = {},
): RatingService {
  const lineage = new LineageService(f.repository);
  const collector = new EvidenceCollector(options.hub ?? unreachableHub, options.code ?? unreachableCodeHost, f.clock, lineage);
  return new RatingService(collector, lineage, f.repository, options.minScore ?? 0);
}
