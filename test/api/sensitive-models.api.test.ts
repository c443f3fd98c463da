import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, send, startTestRegistry, type TestRegistry } from '../support/test-registry';
import { buildHuggingFacePackage } from '../support/zip-builder';

interface Sensitivity {
  sensitive: boolean;
  hook_sha256?: string;
  hook?: string;
}
interface HistoryEntry {
  user: { name: string };
  action: string;
  detail?: string;
  outcome: string;
  hook_output?: string;
}

// Lets "bob" through and refuses everyone else, saying why.
const HOOK = `const [model, uploader, downloader, zip] = process.argv.slice(2);
const size = require('fs').statSync(zip).size;
if (downloader !== 'bob') { console.log(downloader + ' is not cleared for ' + model + ' (uploaded by ' + uploader + ')'); process.exit(1); }
console.log('cleared ' + downloader + ' for ' + size + ' bytes');`;

describe('API: sensitive models and their download history', function () {
  this.timeout(60_000);
  let registry: TestRegistry;
  let work: string;
  let id: string;
  let alice: string;
  let bob: string;
  let carol: string;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'tmr-sensitive-'));
    registry = await startTestRegistry({ storage: 'local' });
    alice = await addUser(registry, 'alice', 'alice-password-1', ['upload', 'search', 'download']);
    bob = await addUser(registry, 'bob', 'bob-password-12', ['search', 'download']);
    carol = await addUser(registry, 'carol', 'carol-password-1', ['search', 'download']);
    const { path } = await buildHuggingFacePackage(work);
    const created = await registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=export-controlled', { body: await readFile(path), contentType: 'application/zip', token: alice });
    expect(created.status).to.equal(201);
    id = created.body.metadata.id;
  });
  after(async () => {
    await registry.close();
    await rm(work, { recursive: true, force: true });
  });

  it('when someone other than the uploader or an admin sets a hook, then it is refused and the model stays open', async () => {
    const attempt = await registry.request('PUT', `/artifacts/model/${id}/sensitivity`, { json: { hook: 'process.exit(1)' }, token: bob });
    expect(attempt.status).to.equal(401);
    const view = await registry.request<Sensitivity>('GET', `/artifacts/model/${id}/sensitivity`, { token: bob });
    expect(view.body).to.deep.equal({ sensitive: false });
  });

  it('when the uploader attaches a hook, then everyone sees the model is sensitive and only the uploader and admins see the source', async () => {
    const set = await registry.request<Sensitivity>('PUT', `/artifacts/model/${id}/sensitivity`, { json: { hook: HOOK }, token: alice });
    expect(set.status, set.raw.toString()).to.equal(200);
    expect(set.body.sensitive).to.equal(true);
    expect(set.body.hook).to.equal(HOOK);
    const asBob = await registry.request<Sensitivity>('GET', `/artifacts/model/${id}/sensitivity`, { token: bob });
    expect(asBob.body).to.include({ sensitive: true, hook_sha256: set.body.hook_sha256 });
    expect(asBob.body.hook).to.equal(undefined);
    const asAdmin = await registry.request<Sensitivity>('GET', `/artifacts/model/${id}/sensitivity`);
    expect(asAdmin.body.hook).to.equal(HOOK);
  });

  it('when the hook allows one user and refuses another, then one downloads and the other gets 451 with its message', async () => {
    const allowed = await registry.request('GET', `/artifacts/model/${id}/download`, { token: bob });
    expect(allowed.status).to.equal(200);
    expect(allowed.raw.subarray(0, 2).toString()).to.equal('PK');
    const refused = await registry.request<{ code: string; details: { output: string } }>('GET', `/artifacts/model/${id}/download?part=weights`, { token: carol });
    expect(refused.status).to.equal(451);
    expect(refused.body.code).to.equal('DOWNLOAD.REFUSED');
    expect(refused.body.details.output).to.contain('carol is not cleared for export-controlled (uploaded by alice)');
  });

  it('when files are fetched through the Hub-compatible API, then the same program decides', async () => {
    const secret = (token: string): string => token.replace(/^bearer /, '');
    const asBob = await fetch(`${registry.url}/registry/export-controlled/resolve/main/config.json`, { headers: { Authorization: `Bearer ${secret(bob)}` } });
    expect(asBob.status).to.equal(200);
    const asCarol = await fetch(`${registry.url}/registry/export-controlled/resolve/main/config.json`, { headers: { Authorization: `Bearer ${secret(carol)}` } });
    expect(asCarol.status).to.equal(451);
  });

  it('when a hook tries to escape its sandbox, then the download is refused, nothing is written and the registry keeps serving', async () => {
    const target = join(work, 'escaped.txt');
    const escape = `require('fs').writeFileSync(${JSON.stringify(target)}, 'x');`;
    expect((await registry.request('PUT', `/artifacts/model/${id}/sensitivity`, { json: { hook: escape }, token: alice })).status).to.equal(200);
    const refused = await registry.request('GET', `/artifacts/model/${id}/download`, { token: bob });
    expect(refused.status).to.equal(451);
    expect(existsSync(target)).to.equal(false);
    const health = await send(registry.url, 'GET', '/health', { token: null });
    expect(health.status).to.equal(200);
    expect((await registry.request('PUT', `/artifacts/model/${id}/sensitivity`, { json: { hook: HOOK }, token: alice })).status).to.equal(200);
  });

  it('when the uploader reads the download history, then every attempt is there with its outcome and output; others may not read it', async () => {
    const history = await registry.request<HistoryEntry[]>('GET', `/artifacts/model/${id}/download-history`, { token: alice });
    expect(history.status).to.equal(200);
    const rows = history.body.map((entry) => `${entry.user.name} ${entry.outcome} ${entry.detail ?? ''}`);
    expect(rows).to.include.members(['bob allowed full', 'carol refused weights', 'bob allowed file config.json', 'carol refused file config.json', 'bob refused full']);
    expect(history.body.find((entry) => entry.user.name === 'carol')?.hook_output).to.contain('not cleared');
    expect(history.body.find((entry) => entry.user.name === 'bob')?.hook_output).to.match(/cleared bob for \d+ bytes/);
    const asCarol = await registry.request('GET', `/artifacts/model/${id}/download-history`, { token: carol });
    expect(asCarol.status).to.equal(401);
  });

  it('when the hook is removed, then downloads are open again', async () => {
    const removed = await registry.request<Sensitivity>('DELETE', `/artifacts/model/${id}/sensitivity`, { token: alice });
    expect(removed.body).to.deep.equal({ sensitive: false });
    expect((await registry.request('GET', `/artifacts/model/${id}/download`, { token: carol })).status).to.equal(200);
  });

  it('when the hook is not a program, then 400 says why and nothing changes', async () => {
    for (const hook of ['', 42, 'x'.repeat(70_000)]) {
      const response = await registry.request<{ message: string }>('PUT', `/artifacts/model/${id}/sensitivity`, { json: { hook }, token: alice });
      expect(response.status, String(hook).slice(0, 10)).to.equal(400);
    }
    expect((await registry.request<Sensitivity>('GET', `/artifacts/model/${id}/sensitivity`, { token: alice })).body.sensitive).to.equal(false);
  });
});
