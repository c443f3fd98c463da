import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { tinyPackage } from '../support/hf-packages';
import { expectAccessible, heading, navLink, screenshot, signIn, startUi, type UiHarness } from './support/ui-harness';

interface Artifact {
  metadata: { name: string; id: string; type: string };
}

/**
 * A release through the browser: several changes staged, each model's trust verdict shown, then
 * published together (or discarded). The registry is real (memory storage) with the fake upstream.
 */
describe('UI: publishing a release of several artifacts at once', () => {
  let ui: UiHarness;
  let page: Page;

  before(async function () {
    ui = await startUi(this, { upstream: true });
    ({ page } = await ui.newPage());
    await signIn(page, ui.url);
  });
  after(async () => ui?.close());

  const upload = async (name: string): Promise<Artifact> => {
    const created = await ui.registry.request<Artifact>('POST', `/artifact/model?name=${name}`, { body: await tinyPackage(name), contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    return created.body;
  };
  const startRelease = async (): Promise<string> => {
    await navLink(page, 'Release').click();
    await heading(page, 'Release').waitFor();
    await page.getByRole('button', { name: 'Start a release' }).click();
    await page.getByText('Nothing is staged yet.').waitFor();
    return decodeURIComponent(page.url().split('#/release/')[1] ?? '');
  };
  const staged = (index: number) => page.getByRole('status').filter({ hasText: `Staged item ${index}:` }).waitFor();

  it('when uploads, a URL, a replacement and a deletion are staged and published, then each shows its verdict, none is visible before, and all are after', async () => {
    const kept = await upload('ui-release-kept');
    const old = await upload('ui-release-old');
    const id = await startRelease();

    await page.getByLabel('Zip file').setInputFiles(await ui.writeTempFile('ui-release-model.zip', await tinyPackage('ui-release-model')));
    await page.getByLabel('Name (optional)').fill('ui-release-model');
    await page.getByRole('button', { name: 'Stage new artifact' }).click();
    await staged(0);
    await page.getByLabel('Kind').selectOption('dataset');
    await page.getByLabel('Source URL (instead of a zip)').fill('https://huggingface.co/datasets/rajpurkar/squad');
    await page.getByRole('button', { name: 'Stage new artifact' }).click();
    await staged(1);
    await page.getByLabel('Kind').selectOption('model');
    await page.getByLabel('Zip file').setInputFiles(await ui.writeTempFile('ui-release-kept-v2.zip', await tinyPackage('ui-release-kept-v2')));
    await page.getByLabel('Artifact id (to replace or delete)').fill(kept.metadata.id);
    await page.getByRole('button', { name: 'Stage replacement' }).click();
    await staged(2);
    await page.getByLabel('Artifact id (to replace or delete)').fill(old.metadata.id);
    await page.getByRole('button', { name: 'Stage deletion' }).click();
    await staged(3);

    const rows = page.locator('table.results tbody tr');
    await page.waitForFunction("document.querySelectorAll('table.results tbody tr').length === 4");
    expect((await rows.allInnerTexts()).map((row) => row.split('\t').slice(0, 4).join(' ').trim())).to.deep.equal([
      '0 Add ui-release-model model', '1 Add squad dataset', `2 Replace ui-release-kept model`, '3 Delete ui-release-old model',
    ]);
    expect(await rows.nth(0).locator('.badge').innerText(), 'a staged model shows its trust verdict').to.match(/Meets the bar|Below the bar/);
    const txn = await ui.registry.request<{ items: { artifact: Artifact }[] }>('GET', `/transactions/${id}`);
    const stagedModel = txn.body.items[0]?.artifact.metadata ?? { id: 'missing' };
    expect((await ui.registry.request('GET', `/artifacts/model/${stagedModel.id}`)).status, 'invisible before publishing').to.equal(404);
    await expectAccessible(page, 'a release with staged items');
    await screenshot(page, 'release-staged');

    await page.getByRole('button', { name: 'Publish release' }).click();

    await page.getByText('Published 4 changes at once.').waitFor();
    expect((await ui.registry.request('GET', `/artifacts/model/${stagedModel.id}`)).status).to.equal(200);
    expect((await ui.registry.request('GET', `/artifacts/model/${old.metadata.id}`)).status).to.equal(404);
    await page.getByRole('link', { name: 'Open ui-release-model' }).click();
    await heading(page, 'ui-release-model').waitFor();
  });

  it('when a release is discarded, then nothing of it is published and it takes no more changes', async () => {
    const id = await startRelease();
    await page.getByLabel('Zip file').setInputFiles(await ui.writeTempFile('ui-discarded.zip', await tinyPackage('ui-discarded')));
    await page.getByRole('button', { name: 'Stage new artifact' }).click();
    await staged(0);

    await page.getByRole('button', { name: 'Discard release' }).click();

    await page.getByText('The release was discarded; nothing of it was published.').waitFor();
    await page.getByText(/is aborted/).waitFor();
    expect(await page.getByRole('button', { name: 'Stage new artifact' }).count()).to.equal(0);
    expect((await ui.registry.request<{ status: string }>('GET', `/transactions/${id}`)).body.status).to.equal('aborted');
    const found = await ui.registry.request<unknown[]>('GET', '/artifact/byName/ui-discarded');
    expect(found.status).to.equal(404);
  });
});
