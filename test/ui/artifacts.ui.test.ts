import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Page } from 'playwright-core';
import { fillerBytes, tinyPackage } from '../support/hf-packages';
import { SCREENSHOTS, expectAccessible, heading, navLink, screenshot, signIn, startUi, type UiHarness } from './support/ui-harness';
import { wellFormedWeights } from '../support/fake-upstream/weights';
import { op, pickle } from '../support/pickle-builder';

const LORA = 'https://huggingface.co/acme-test/tiny-lora';
const BERT = 'https://huggingface.co/google-bert/bert-base-uncased';

/** The rows of the results table, as "name type". */
const resultRows = async (page: Page): Promise<string[]> =>
  (await page.locator('.results tbody tr').allInnerTexts()).map((row) => row.split('\t').slice(0, 2).join(' ').trim());

/**
 * One person's session through the main flows, in order: what a test adds, later tests find.
 * The registry is real (memory storage); Hugging Face and GitHub are the fake upstream on loopback.
 */
describe('UI: adding, finding and reading artifacts', () => {
  let ui: UiHarness;
  let context: BrowserContext;
  let page: Page;

  before(async function () {
    ui = await startUi(this, { upstream: true });
    ({ context, page } = await ui.newPage());
    await signIn(page, ui.url);
  });
  after(async () => ui?.close());

  it('when a zip is uploaded, then a progress bar advances to completion and links the new artifact', async () => {
    const zip = await tinyPackage('ui-upload', [{ path: 'model-extra.safetensors', content: wellFormedWeights('model-extra.safetensors', fillerBytes('ui-upload', 1_000_000)) }]);
    await navLink(page, 'Add').click();
    await heading(page, 'Add an artifact').waitFor();
    await page.getByLabel('Zip file').setInputFiles(await ui.writeTempFile('ui-upload.zip', zip));
    await page.getByLabel('Name (optional)').fill('ui-upload');
    await page.getByLabel('Version (optional)').fill('1.2.0');
    // A slow uplink (about 1 MB/s) so that the browser reports progress along the way.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_000_000 });
    await page.evaluate(`(() => {
      window.__progress = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[aria-label="Upload progress"]');
        if (bar) window.__progress.push(bar.getAttribute('aria-valuenow'));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    })()`);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Registered ui-upload (model).').waitFor();
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const seen = ((await page.evaluate('window.__progress')) as (string | null)[]).filter((value): value is string => value !== null).map(Number);
    expect(seen.some((percent) => percent > 0 && percent < 100), `progress values seen: ${seen.join(', ')}`).to.equal(true);
    expect(seen, 'progress never goes back').to.deep.equal([...seen].sort((a, b) => a - b));
    await page.getByRole('link', { name: 'Open ui-upload' }).click();
    await heading(page, 'ui-upload').waitFor();
  });

  it('when a look-alike with a suspicious pickle is uploaded, then its page warns of both and lists each scanned file', async () => {
    const sklearn = pickle(op.proto(2), op.global('sklearn.linear_model._logistic', 'LogisticRegression'), op.emptyTuple, op.newObj, op.stop);
    const zip = await tinyPackage('ui-uplaod', [{ path: 'clf.pkl', content: sklearn }]);
    await page.goto(`${ui.url}/#/add`);
    await heading(page, 'Add an artifact').waitFor();
    await page.getByLabel('Zip file').setInputFiles(await ui.writeTempFile('ui-uplaod.zip', zip));
    await page.getByLabel('Name (optional)').fill('ui-uplaod');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('link', { name: 'Open ui-uplaod' }).click();
    await heading(page, 'ui-uplaod').waitFor();
    expect(await page.getByText('Suspicious content').isVisible()).to.equal(true);
    const imitation = page.locator('.alert', { hasText: 'Possible imitation of' });
    expect(await imitation.getByRole('link', { name: 'ui-upload' }).isVisible()).to.equal(true);
    expect(await imitation.innerText()).to.contain('swap of two characters');
    const rows = await page.getByRole('table', { name: 'Scanned files and their verdicts' }).locator('tbody tr').allInnerTexts();
    expect(rows.find((row) => row.startsWith('clf.pkl'))).to.contain('suspicious').and.contain('sklearn.linear_model._logistic.LogisticRegression');
    expect(rows.find((row) => row.startsWith('model.safetensors'))).to.contain('safe');
    await expectAccessible(page, 'the artifact page of a suspicious look-alike');
    await screenshot(page, 'artifact-security');
  });

  it('when models are registered by URL, then progress shows while the ingest runs and the result is linked', async () => {
    await page.goto(`${ui.url}/#/add`);
    for (const [url, name] of [[LORA, 'tiny-lora'], [BERT, 'bert-base-uncased']] as const) {
      // Hold the request until the in-progress state has been seen: the fake upstream is fast.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/artifact/model', async (route) => {
        await held;
        await route.continue();
      });
      await page.getByLabel('Source URL').fill(url);
      await page.getByRole('button', { name: 'Register', exact: true }).click();
      await page.getByRole('progressbar', { name: 'Registration in progress' }).waitFor();
      expect(await page.getByRole('status').filter({ hasText: 'Fetching, rating and storing' }).count()).to.equal(1);
      await expectAccessible(page, 'the add page while registering');
      release();
      await page.getByText(`Registered ${name} (model).`).waitFor();
      await page.unroute('**/artifact/model');
    }
    await screenshot(page, 'add');
  });

  it('when a registration fails, then the registry\'s reason is shown in words', async () => {
    await page.getByLabel('Source URL').fill('https://huggingface.co/acme-test/does-not-exist');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text).to.contain('The source repository could not be found.');
    expect(text).to.contain('does not exist');
    expect(text).to.match(/Request id \S+/);
  });

  it('when a registered model is opened, then its rating bars, lineage graph, size and audit trail are shown', async () => {
    await page.goto(`${ui.url}/#/search?by=name&name=tiny-lora`);
    await page.getByRole('link', { name: 'tiny-lora' }).click();
    await heading(page, 'tiny-lora').waitFor();
    await page.locator('.net-score__value').waitFor();
    expect(await page.locator('.net-score__value').innerText()).to.match(/^\d\.\d\d/);
    const metrics = page.getByRole('list', { name: 'Metrics' }).getByRole('listitem').filter({ has: page.locator('.metric__name') });
    expect(await metrics.count()).to.be.at.least(10);
    for (const label of ['License', 'Bus factor', 'Reviewedness', 'Tree score']) {
      const metric = metrics.filter({ hasText: label }).first();
      expect(await metric.locator('.metric__value').innerText(), label).to.match(/^(\d\.\d\d|Not applicable)$/);
      expect(await metric.locator('.metric__latency').textContent(), label).to.match(/computed in \d/);
    }
    const sizes = await page.getByRole('list', { name: 'Size score per device' }).getByRole('listitem').allInnerTexts();
    expect(sizes.map((row) => row.split('\n')[0])).to.deep.equal(['Raspberry Pi', 'Jetson Nano', 'Desktop PC', 'AWS server']);
    // The net score explained in words, with the labels of the bars, never the formula's internal names.
    await page.locator('.net-score').getByRole('link', { name: 'How it is made up' }).click();
    const breakdown = page.locator('#net-explained');
    expect(await breakdown.getAttribute('open'), 'the link opens the explanation').to.not.equal(null);
    expect(await page.evaluate('document.activeElement?.textContent')).to.match(/^How the net score of \d\.\d\d is made up$/);
    expect(await breakdown.innerText()).to.match(/average of \d+ metrics/).and.not.match(/ramp_up_time|dataset_and_code|×/);
    const shares = await breakdown.getByRole('table', { name: 'What each metric adds to the net score, largest first' }).locator('tbody th').allInnerTexts();
    expect(shares).to.include.members(['License', 'Ramp-up time', 'Bus factor', 'Size fit (average of the four devices)']);
    await breakdown.screenshot({ path: join(SCREENSHOTS, 'net-score.png') });
    const licenseReasons = page.getByText('Why 1.00 for License', { exact: false }).first();
    await licenseReasons.click();
    expect(await page.getByText('Apache-2.0 is permissive').isVisible()).to.equal(true);
    await licenseReasons.click();

    const graph = page.getByRole('group', { name: /Lineage graph of tiny-lora/ });
    await graph.waitFor();
    expect(await page.locator('.lineage__node--external').count(), 'dashed external ancestors').to.be.at.least(3);
    await page.getByText(/Lineage as text/).click();
    const relationships = await page.locator('.lineage__text li').allInnerTexts();
    expect(relationships).to.include('bert-base-uncased (model, in this registry) is the adapter of tiny-lora (model, in this registry)');
    expect(await page.getByText('With 1 dependency').isVisible()).to.equal(true);
    await page.locator('#audit-heading').scrollIntoViewIfNeeded();
    await page.getByRole('cell', { name: 'Created' }).first().waitFor();
    // Opening the page showed the rating and the trail: views, not reads the person asked for.
    const modelId = /#\/artifacts\/model\/([0-9A-Z]+)$/.exec(page.url())?.[1] ?? '';
    const actions = async (): Promise<string[]> =>
      (await ui.registry.request<{ action: string }[]>('GET', `/artifact/model/${modelId}/audit`, { headers: { 'X-Passive-View': 'true' } })).body.map((entry) => entry.action);
    expect(await actions(), 'trail after merely opening the page').to.deep.equal(['CREATE']);
    expect(await page.getByRole('cell', { name: 'Rated' }).count()).to.equal(0);
    await page.getByRole('button', { name: 'Refresh audit trail' }).click();
    await page.getByRole('cell', { name: 'Audit read' }).waitFor();
    expect(await actions(), 'a refresh the person asked for is recorded').to.deep.equal(['CREATE', 'AUDIT']);

    await page.locator('#rating-heading').scrollIntoViewIfNeeded();
    await expectAccessible(page, 'the artifact page of a model');
    await screenshot(page, 'artifact');
    // The README's picture (docs/ui-artifact.png): one viewport from the rating down into the lineage.
    await page.evaluate('window.scrollTo(0, document.getElementById("rating-heading").getBoundingClientRect().top + window.scrollY - 36)');
    await screenshot(page, 'artifact-viewport', false);

    await graph.getByRole('link', { name: 'Open bert-base-uncased (model)' }).click();
    await heading(page, 'bert-base-uncased').waitFor();
    expect(page.url()).to.match(/#\/artifacts\/model\/[0-9A-Z]+$/);
  });

  it('when the license of a GitHub project is checked against a model, then the verdict, reasons and obligations are shown', async () => {
    await page.goBack();
    await heading(page, 'tiny-lora').waitFor();
    await page.getByLabel('GitHub repository').fill('https://github.com/huggingface/transformers');
    await page.getByRole('button', { name: 'Check license' }).click();
    const verdict = page.getByTestId('license-verdict');
    await verdict.waitFor();
    const text = await verdict.innerText();
    expect(text).to.contain('Compatible');
    expect(text).to.contain('Apache-2.0');
    expect(await verdict.locator('ul').first().locator('li').count(), 'reasons').to.be.greaterThan(0);
    expect(await verdict.locator('ul').nth(1).locator('li').count(), 'obligations').to.be.greaterThan(0);
  });

  it('when searching by name, regular expression and version range, then exactly the matching artifacts are listed', async () => {
    const search = async (fields: Record<string, string>, button: string): Promise<string[]> => {
      await navLink(page, 'Search').click();
      await heading(page, 'Search').waitFor();
      for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByRole('button', { name: button }).click();
      await page.getByRole('status').filter({ hasText: /artifacts? shown/ }).waitFor();
      return resultRows(page);
    };
    expect(await search({ 'Exact name': 'tiny-lora' }, 'Search by name')).to.deep.equal(['tiny-lora model']);
    expect(await search({ 'Regular expression': '^bert-base' }, 'Search by expression')).to.deep.equal(['bert-base-uncased model']);
    expect(await search({ Name: 'ui-upload', 'Version range': '^1.0.0' }, 'Search by version')).to.deep.equal(['ui-upload model']);
    expect(await search({ Name: 'ui-upload', 'Version range': '1.0.0-1.2.0' }, 'Search by version')).to.deep.equal(['ui-upload model']);
    expect(await search({ Name: 'ui-upload', 'Version range': '~1.2.0' }, 'Search by version')).to.deep.equal(['ui-upload model']);
    expect(await search({ Name: 'ui-upload', 'Version range': '1.3.0' }, 'Search by version')).to.deep.equal([]);
    expect(await page.getByText('No artifacts match this search.').isVisible()).to.equal(true);
    await search({ 'Regular expression': 'tiny|bert' }, 'Search by expression');
    await expectAccessible(page, 'the search page with results');
    await screenshot(page, 'search');
  });

  it('when a part is downloaded, then it is saved under the registry\'s file name and the shown sha256 is the file\'s', async () => {
    await page.goto(`${ui.url}/#/search?by=name&name=ui-upload`);
    await page.getByRole('link', { name: 'ui-upload' }).click();
    await heading(page, 'ui-upload').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download weights' }).click()]);
    expect(download.suggestedFilename()).to.equal('ui-upload-weights.zip');
    const bytes = await readFile(await download.path());
    const shown = await page.getByTestId('download-sha256').innerText();
    expect(shown).to.equal(createHash('sha256').update(bytes).digest('hex'));
    expect(await page.getByText('the file is intact').isVisible()).to.equal(true);
    await page.getByRole('cell', { name: 'Downloaded' }).first().waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'Downloaded' }).first().innerText()).to.contain('weights');
  });

  it('when the list is filtered by type, then only those kinds are shown', async () => {
    await navLink(page, 'Artifacts').click();
    await heading(page, 'Artifacts').waitFor();
    await page.getByRole('status').filter({ hasText: '4 artifacts shown' }).waitFor();
    await page.getByLabel('Models').uncheck();
    await page.getByText('No artifacts of the selected kinds.').waitFor();
    await page.getByLabel('Models').check();
    await page.getByRole('status').filter({ hasText: '4 artifacts shown' }).waitFor();
    expect(await resultRows(page)).to.have.members(['ui-upload model', 'ui-uplaod model', 'tiny-lora model', 'bert-base-uncased model']);
    await expectAccessible(page, 'the artifact list');
    await screenshot(page, 'browse');
  });
});
