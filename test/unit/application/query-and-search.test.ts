import { expect } from 'chai';
import { ErrorCode } from '../../../src/domain/errors';
import { PAGE_SIZE } from '../../../src/domain/pagination';
import { QueryArtifacts } from '../../../src/application/query-artifacts.use-case';
import { FindByName } from '../../../src/application/find-by-name.use-case';
import { SearchByRegex, MAX_PATTERN_LENGTH } from '../../../src/application/search-by-regex.use-case';
import { Re2PatternCompiler } from '../../../src/adapters/system/system-adapters';
import { expectRejection } from '../../support/zip-builder';
import { aRecord, admin, SequentialIds, useCaseFixture } from '../../support/use-case-fixture';

describe('QueryArtifacts, FindByName and SearchByRegex', () => {
  const seeded = async (count: number, shape: (i: number) => Parameters<typeof aRecord>[0]) => {
    const f = useCaseFixture();
    const ids = new SequentialIds();
    for (let i = 0; i < count; i += 1) await f.repository.create(aRecord({ ...shape(i), id: ids.next() }));
    return {
      ...f,
      query: new QueryArtifacts(f.repository),
      byName: new FindByName(f.repository),
      regex: new SearchByRegex(f.repository, new Re2PatternCompiler()),
    };
  };

  const drain = async (fetch: (offset?: string) => Promise<{ items: readonly { id: string }[]; next?: string }>) => {
    const seen: string[] = [];
    let offset: string | undefined;
    let pages = 0;
    do {
      const page = await fetch(offset);
      expect(page.items.length).to.be.at.most(PAGE_SIZE);
      seen.push(...page.items.map((item) => item.id));
      offset = page.next;
      pages += 1;
    } while (offset !== undefined && pages < 100);
    return { seen, pages };
  };

  it('when one query is sparse and another dense, then paging neither skips nor repeats a match', async () => {
    const s = await seeded(450, (i) => ({ id: '', name: i % 50 === 0 ? 'rare' : 'common', version: `1.${i % 4}.0`, type: i % 2 === 0 ? 'model' : 'dataset' }));
    const { seen } = await drain((offset) => s.query.execute({ actor: admin, queries: [{ name: 'rare' }, { name: 'common', types: ['dataset'], version: '~1.1.0' }], ...(offset === undefined ? {} : { offset }) }));
    const expected = (await s.repository.list({}, undefined, 1000))
      .filter((r) => r.name === 'rare' || (r.type === 'dataset' && r.version === '1.1.0'))
      .map((r) => r.id);
    expect(seen).to.deep.equal(expected);
  });

  it('when every record matches, then pages are full until the last', async () => {
    const s = await seeded(250, () => ({ id: '' }));
    const { seen, pages } = await drain((offset) => s.query.execute({ actor: admin, queries: [{ name: '*' }], ...(offset === undefined ? {} : { offset }) }));
    expect(seen).to.have.length(250);
    expect(pages).to.equal(3);
  });

  it('when a record has no version, then version queries never match it', async () => {
    const s = await seeded(3, (i) => (i === 0 ? { id: '', name: 'm' } : { id: '', name: 'm', version: '1.0.0' }));
    const page = await s.query.execute({ actor: admin, queries: [{ name: 'm', version: '^1.0.0' }] });
    expect(page.items).to.have.length(2);
  });

  it('when too many queries come at once, then REQUEST.INVALID', async () => {
    const s = await seeded(0, () => ({ id: '' }));
    await expectRejection(s.query.execute({ actor: admin, queries: Array.from({ length: 33 }, () => ({ name: '*' })) }), ErrorCode.InvalidInput);
  });

  it('when a name has more than a page of artifacts, then FindByName pages through them', async () => {
    const s = await seeded(130, () => ({ id: '', name: 'popular' }));
    const { seen, pages } = await drain((offset) => s.byName.execute({ actor: admin, name: 'popular', ...(offset === undefined ? {} : { offset }) }));
    expect(seen).to.have.length(130);
    expect(pages).to.equal(2);
  });

  it('when a regex matches only card text, then the artifact is found; names are matched too', async () => {
    const s = await seeded(5, (i) => ({ id: '', name: `model-${i}`, ...(i === 3 ? { card: { text: 'Fine-tuned on SQuAD v2', metadata: {} } } : {}) }));
    const byCard = await s.regex.execute({ actor: admin, regex: 'SQuAD\\s+v2' });
    expect(byCard.items.map((m) => m.name)).to.deep.equal(['model-3']);
    const byName = await s.regex.execute({ actor: admin, regex: '^model-[12]$' });
    expect(byName.items.map((m) => m.name)).to.deep.equal(['model-1', 'model-2']);
  });

  it('when a regex matches more than a page, then a cursor continues after the last match', async () => {
    const s = await seeded(260, (i) => ({ id: '', name: `m-${i}` }));
    const { seen } = await drain((offset) => s.regex.execute({ actor: admin, regex: '^m-', ...(offset === undefined ? {} : { offset }) }));
    expect(new Set(seen).size).to.equal(260);
  });

  it('when the pattern is empty, too long or invalid, then REQUEST.INVALID', async () => {
    const s = await seeded(1, () => ({ id: '' }));
    await expectRejection(s.regex.execute({ actor: admin, regex: '' }), ErrorCode.InvalidInput);
    await expectRejection(s.regex.execute({ actor: admin, regex: 'a'.repeat(MAX_PATTERN_LENGTH + 1) }), ErrorCode.InvalidInput);
    await expectRejection(s.regex.execute({ actor: admin, regex: '(?<=x)y' }), ErrorCode.InvalidInput);
  });

  it('when nothing matches, then SEARCH.NO_MATCH', async () => {
    const s = await seeded(3, () => ({ id: '' }));
    await expectRejection(s.regex.execute({ actor: admin, regex: 'nothing-here' }), ErrorCode.NoMatch);
    await expectRejection(s.byName.execute({ actor: admin, name: 'nothing-here' }), ErrorCode.NoMatch);
  });
});
