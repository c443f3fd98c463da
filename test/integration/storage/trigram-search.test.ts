import { expect } from 'chai';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalDatabase } from '../../../src/adapters/storage/local/local-database';
import { LocalArtifactRepository } from '../../../src/adapters/storage/local/local-artifact-repository';
import { Re2PatternCompiler } from '../../../src/adapters/system/system-adapters';
import { SearchByRegex } from '../../../src/application/search-by-regex.use-case';
import type { ArtifactMetadata } from '../../../src/domain/artifact';
import type { ArtifactRepository } from '../../../src/ports/artifact-repository.port';
import { anArtifact, revised } from '../../support/storage-contract';

const reader = { name: 'reader', isAdmin: false, permissions: ['search' as const] };
const WORDS = ['bert', 'whisper', 'Tiny', 'large', 'llama', 'café', 'gpt-2', 'lora', 'v1.5', 'Résumé', 'text-to-image', '日本語'];

/** Deterministic, varied names and cards. */
function textOf(n: number): { name: string; card: string } {
  const pick = (k: number): string => WORDS[(n * 7 + k * 13) % WORDS.length] ?? '';
  return { name: `${pick(1)}-${pick(2)}-${n % 17}`, card: `# ${pick(3)}\nA ${pick(4)} model for ${pick(5)}, version ${n % 5}.${n % 3}` };
}

/** Every page of a search, following cursors; the error code when there is no match. */
async function allPages(search: SearchByRegex, regex: string): Promise<ArtifactMetadata[] | string> {
  const found: ArtifactMetadata[] = [];
  let offset: string | undefined;
  try {
    do {
      const page = await search.execute({ actor: reader, regex, ...(offset === undefined ? {} : { offset }) });
      found.push(...page.items);
      offset = page.next;
    } while (offset !== undefined);
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
  return found;
}

describe('regular-expression search through the trigram index', () => {
  let dir: string;
  let db: Database.Database;
  let repository: LocalArtifactRepository;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tmr-trigram-'));
    db = openLocalDatabase(dir);
    repository = new LocalArtifactRepository(db);
  });
  afterEach(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const fill = async (count: number): Promise<void> => {
    for (let n = 1; n <= count; n += 1) {
      const { name, card } = textOf(n);
      await repository.create(anArtifact(n, 'model', { name, card: { text: card, metadata: {} } }));
    }
  };
  const indexed = (): SearchByRegex => new SearchByRegex(repository, new Re2PatternCompiler());
  // The same repository with its index hidden: search falls back to reading every record.
  const scanning = (): SearchByRegex =>
    new SearchByRegex(Object.create(repository, { textIndex: { value: undefined } }) as ArtifactRepository, new Re2PatternCompiler());

  it('when patterns with and without required literals are searched, then the index finds exactly what a full scan finds, page by page', async () => {
    await fill(260);
    const narrowed = await repository.textIndex.candidates([['whisper']], undefined, 1_000);
    expect(narrowed.length, 'the index narrows the search').to.be.greaterThan(0).and.lessThan(260);
    const patterns = [
      'bert', '^whisper-', 'llama|lora', 'tiny', '(?i)tiny', 'Tiny-large', 'café', 'Résumé', '日本語', 'gpt-2-\\d+', 'v1\\.5',
      'version 3\\.1', 'text-to-image.*large', 'zzz-not-there', 'la+rge', 'l(ar)?ge', '[bw]h?isper', '.*', 'model for (bert|lora)',
    ];
    for (const regex of patterns) {
      expect(await allPages(indexed(), regex), regex).to.deep.equal(await allPages(scanning(), regex));
    }
  });

  it('when records are renamed, re-carded and deleted, then the index follows them', async () => {
    await fill(5);
    const first = await repository.get(anArtifact(1).id);
    await repository.update(revised(first!, { name: 'renamed-zebra', card: { text: 'now about quokkas', metadata: {} } }), 1);
    await repository.delete(anArtifact(2).id);
    expect(await allPages(indexed(), 'zebra')).to.deep.equal([{ name: 'renamed-zebra', id: anArtifact(1).id, type: 'model' }]);
    expect(await allPages(indexed(), 'quokka')).to.have.length(1);
    expect(await allPages(indexed(), textOf(1).name)).to.equal(await allPages(scanning(), textOf(1).name));
    const second = textOf(2).name;
    expect(await allPages(indexed(), `^${second}$`)).to.deep.equal(await allPages(scanning(), `^${second}$`));
    await repository.clear();
    expect(await allPages(indexed(), 'quokka')).to.equal('SEARCH.NO_MATCH');
  });

  it('when a schema-2 database with records is opened, then the index is built from them', async () => {
    await fill(30);
    db.exec('DROP TABLE artifact_search; DROP TABLE artifact_search_ids');
    db.pragma('user_version = 2');
    db.close();
    db = openLocalDatabase(dir);
    repository = new LocalArtifactRepository(db);
    for (const regex of ['bert', 'whisper|llama', '日本語']) {
      expect(await allPages(indexed(), regex), regex).to.deep.equal(await allPages(scanning(), regex));
    }
  });
});
