import { expect } from 'chai';
import { fillerBytes, tinyPackage, zipBuffer } from '../support/hf-packages';
import { startTestRegistry, type TestRegistry } from '../support/test-registry';

interface Meta {
  name: string;
  id: string;
  type: 'model' | 'dataset' | 'code';
}

describe('API: enumerating and searching', () => {
  let registry: TestRegistry;
  const ids = new Map<string, string>();

  const register = async (name: string, type: Meta['type'], version?: string, card?: string): Promise<string> => {
    const zip = card === undefined ? await tinyPackage(name) : await zipBuffer([{ path: 'README.md', content: card }, { path: 'model.bin', content: fillerBytes(name, 64) }]);
    const query = `?name=${encodeURIComponent(name)}${version === undefined ? '' : `&version=${version}`}`;
    const response = await registry.request<{ metadata: Meta }>('POST', `/artifact/${type}${query}`, { body: zip, contentType: 'application/zip' });
    expect(response.status, name).to.equal(201);
    return response.body.metadata.id;
  };

  before(async () => {
    registry = await startTestRegistry();
    for (const [name, version] of [['bert', '1.0.0'], ['bert', '1.2.3'], ['bert', '1.2.9'], ['bert', '1.3.0'], ['bert', '2.0.0'], ['bert', '2.1.0'], ['bert', '2.1.1']]) {
      ids.set(`${name}@${version}`, await register(name as string, 'model', version));
    }
    ids.set('squad', await register('squad', 'dataset', '0.1.0'));
    ids.set('whisper', await register('openai/whisper', 'code'));
    ids.set('carded', await register('plain-name', 'model', undefined, '# Plain\n\nFine-tuned from audience-classifier on reviews.\n'));
    ids.set('redos', await register('victim', 'model', undefined, `# Victim\n\n${'a'.repeat(50_000)}!`));
  });
  after(() => registry.close());

  const query = (body: unknown, offset?: string) =>
    registry.request<Meta[] & { code?: string; message?: string }>('POST', `/artifacts${offset === undefined ? '' : `?offset=${offset}`}`, { json: body });

  it('when "*" is queried, then every artifact is listed with name, id and type only', async () => {
    const response = await query([{ name: '*' }]);
    expect(response.status).to.equal(200);
    expect(response.body).to.have.length(ids.size);
    expect(Object.keys(response.body[0] ?? {}).sort()).to.deep.equal(['id', 'name', 'type']);
    expect(response.headers.get('offset')).to.equal(null);
  });

  it('when types filter the enumeration, then only those types come back', async () => {
    const response = await query([{ name: '*', types: ['dataset', 'code'] }]);
    expect(response.body.map((m) => m.type).sort()).to.deep.equal(['code', 'dataset']);
  });

  const versionCases: [string, string[]][] = [
    ['1.2.3', ['1.2.3']],
    ['v1.2.3', ['1.2.3']],
    ['1.2.3-2.1.0', ['1.2.3', '1.2.9', '1.3.0', '2.0.0', '2.1.0']],
    ['v1.2.3-v2.1.0', ['1.2.3', '1.2.9', '1.3.0', '2.0.0', '2.1.0']],
    ['~1.2.0', ['1.2.3', '1.2.9']],
    ['^1.2.0', ['1.2.3', '1.2.9', '1.3.0']],
    ['^v2.0.0', ['2.0.0', '2.1.0', '2.1.1']],
    ['9.9.9', []],
  ];
  for (const [version, expected] of versionCases) {
    it(`when the version query is ${version}, then exactly ${expected.join(', ') || 'nothing'} match`, async () => {
      const response = await query([{ name: 'bert', version }]);
      expect(response.status).to.equal(200);
      expect(response.body.map((m) => m.id).sort()).to.deep.equal(expected.map((v) => ids.get(`bert@${v}`)).sort());
    });
  }

  for (const version of ['1.2', 'latest', '2.1.0-1.2.3', '>=1.0.0', '^1.x', '1.2.3 || 2.0.0']) {
    it(`when the version query is malformed (${version}), then 400 says which forms are accepted`, async () => {
      const response = await query([{ name: 'bert', version }]);
      expect(response.status).to.equal(400);
      expect(response.body.message).to.contain('tilde');
    });
  }

  it('when several queries overlap, then each match appears once, ordered by id', async () => {
    const response = await query([{ name: 'bert', version: '^1.0.0' }, { name: 'bert', version: '~1.2.0' }, { name: 'squad' }]);
    const returned = response.body.map((m) => m.id);
    expect(returned).to.deep.equal([...new Set(returned)].sort());
    expect(returned).to.have.length(5);
  });

  it('when the query list is empty or a query has no name, then 400', async () => {
    expect((await query([])).status).to.equal(400);
    expect((await query([{ types: ['model'] }])).status).to.equal(400);
    expect((await query({ name: '*' })).status).to.equal(400);
  });

  it('when the offset is not a cursor this registry issued, then 400', async () => {
    const response = await query([{ name: '*' }], 'banana');
    expect(response.status).to.equal(400);
    expect(response.body.message).to.contain('offset');
  });

  it('when a name is looked up exactly, then all artifacts of that name are returned', async () => {
    const response = await registry.request<Meta[]>('GET', '/artifact/byName/bert');
    expect(response.status).to.equal(200);
    expect(response.body).to.have.length(7);
    const slashed = await registry.request<Meta[]>('GET', `/artifact/byName/${encodeURIComponent('openai/whisper')}`);
    expect(slashed.body.map((m) => m.id)).to.deep.equal([ids.get('whisper')]);
  });

  it('when no artifact has the name, then 404', async () => {
    expect((await registry.request('GET', '/artifact/byName/ber')).status).to.equal(404);
  });

  it('when a regex matches names or card text, then those artifacts come back', async () => {
    const byName = await registry.request<Meta[]>('POST', '/artifact/byRegEx', { json: { regex: '^squ' } });
    expect(byName.body.map((m) => m.id)).to.deep.equal([ids.get('squad')]);
    const byCard = await registry.request<Meta[]>('POST', '/artifact/byRegEx', { json: { regex: '.*?(audience|bert).*' } });
    expect(byCard.body.map((m) => m.id)).to.include.members([ids.get('carded'), ids.get('bert@1.0.0')]);
  });

  it('when nothing matches the regex, then 404', async () => {
    expect((await registry.request('POST', '/artifact/byRegEx', { json: { regex: 'zzz-nothing-[0-9]+' } })).status).to.equal(404);
  });

  it('when the regex is invalid or uses lookaround, then 400 explains it', async () => {
    for (const regex of ['(unclosed', '[z-a]', '(?=look)ahead', '(a)\\1']) {
      const response = await registry.request<{ message: string }>('POST', '/artifact/byRegEx', { json: { regex } });
      expect(response.status, regex).to.equal(400);
      expect(response.body.message, regex).to.contain('regular expression');
    }
  });

  it('when a catastrophic pattern runs against long card text, then it answers and other requests are not held up', async () => {
    // 50,000 "a"s followed by "!": a backtracking engine explores exponentially many ways to fail here.
    const [evil, other] = await Promise.all([
      registry.request<{ code: string }>('POST', '/artifact/byRegEx', { json: { regex: '(a+)+$' } }),
      registry.request<Meta[]>('GET', '/artifact/byName/squad'),
    ]);
    expect(evil.status).to.equal(404);
    expect(evil.body.code).to.equal('SEARCH.NO_MATCH');
    expect(other.status).to.equal(200);
    const anchored = await registry.request<Meta[]>('POST', '/artifact/byRegEx', { json: { regex: '(a+)+!' } });
    expect(anchored.body.map((m) => m.id)).to.deep.equal([ids.get('redos')]);
  });
});

describe('API: pagination over a large registry', () => {
  let registry: TestRegistry;
  const total = 230;

  before(async function () {
    this.timeout(60_000);
    registry = await startTestRegistry();
    const zip = await tinyPackage('paged');
    for (let i = 0; i < total; i += 1) {
      const type = i % 3 === 0 ? 'dataset' : 'model';
      const response = await registry.request('POST', `/artifact/${type}?name=paged-${i % 7}&version=1.${i % 5}.0`, { body: zip, contentType: 'application/zip' });
      expect(response.status).to.equal(201);
    }
  });
  after(() => registry.close());

  it('when all artifacts are enumerated, then pages of at most 100 cover each exactly once', async () => {
    const seen: string[] = [];
    let offset: string | null = null;
    let pages = 0;
    do {
      const path: string = offset === null ? '/artifacts' : `/artifacts?offset=${offset}`;
      const page: { status: number; body: Meta[]; headers: Headers } = await registry.request<Meta[]>('POST', path, { json: [{ name: '*' }] });
      expect(page.status).to.equal(200);
      expect(page.body.length).to.be.at.most(100);
      seen.push(...page.body.map((m) => m.id));
      offset = page.headers.get('offset');
      pages += 1;
    } while (offset !== null);
    expect(pages).to.equal(3);
    expect(seen).to.have.length(total);
    expect(new Set(seen).size).to.equal(total);
    expect(seen).to.deep.equal([...seen].sort());
  });

  it('when filtered queries span pages, then no match is skipped or repeated', async () => {
    const queries = [{ name: 'paged-3', version: '^1.2.0' }, { name: '*', types: ['dataset'] }];
    const seen: string[] = [];
    let offset: string | null = null;
    do {
      const path: string = offset === null ? '/artifacts' : `/artifacts?offset=${offset}`;
      const page: { body: Meta[]; headers: Headers } = await registry.request<Meta[]>('POST', path, { json: queries });
      seen.push(...page.body.map((m) => m.id));
      offset = page.headers.get('offset');
    } while (offset !== null);
    const everything: Meta[] = [];
    offset = null;
    do {
      const path: string = offset === null ? '/artifacts' : `/artifacts?offset=${offset}`;
      const page: { body: Meta[]; headers: Headers } = await registry.request<Meta[]>('POST', path, { json: [{ name: '*' }] });
      everything.push(...page.body);
      offset = page.headers.get('offset');
    } while (offset !== null);
    const details = await Promise.all(everything.map(async (m) => {
      const d = await registry.request<{ version: string }>('GET', `/artifacts/${m.type}/${m.id}/details`);
      return { ...m, version: d.body.version };
    }));
    const expected = details
      .filter((m) => m.type === 'dataset' || (m.name === 'paged-3' && ['1.2.0', '1.3.0', '1.4.0'].includes(m.version)))
      .map((m) => m.id);
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen).to.deep.equal(expected);
  });
});
