import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { tinyPackage } from '../support/hf-packages';
import { expectAccessible, heading, navLink, screenshot, signIn, startUi, type UiHarness } from './support/ui-harness';

const PAGE_SIZE = 100;

/** A registry whose trust bar is high (0.9): vetting refuses what the UI sends, registering flags it. */
describe('UI: the trust bar (vetting and flags), paging, reset and health', () => {
  let ui: UiHarness;
  let page: Page;

  before(async function () {
    ui = await startUi(this, { upstream: true, env: { TMR_INGEST_MIN_SCORE: '0.9' } });
    ({ page } = await ui.newPage());
    await signIn(page, ui.url);
  });
  after(async () => ui?.close());

  it('when vetting refuses a model, then each failing metric is shown with its value', async () => {
    await navLink(page, 'Add').click();
    await page.getByLabel('Vet: refuse it (Hugging Face models)').check();
    await page.getByLabel('Source URL').fill('https://huggingface.co/acme-test/tiny-lora');
    await page.getByRole('button', { name: 'Vet and register', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).to.contain('Not registered: the rating does not meet the registry\'s bar.');
    expect(await alert.innerText()).to.contain('at least 0.90');
    const rows = await alert.locator('tbody tr').allInnerTexts();
    expect(rows.length).to.be.greaterThan(0);
    for (const row of rows) expect(row).to.match(/^[A-Z][a-z ]+\t0\.\d\d$/);
    expect(rows.join('\n')).to.contain('Ramp up time');
    await expectAccessible(page, 'the add page with a gate refusal');
  });

  it('when the person prefers reduced motion, then the progress bar of a running ingest does not animate', async () => {
    const animationOf = async (target: Page): Promise<string> => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await target.route('**/artifact/ingest', async (route) => {
        await held;
        await route.continue();
      });
      await target.getByLabel('Vet: refuse it (Hugging Face models)').check();
      await target.getByLabel('Source URL').fill('https://huggingface.co/acme-test/tiny-lora');
      await target.getByRole('button', { name: 'Vet and register', exact: true }).click();
      await target.getByRole('progressbar', { name: 'Registration in progress' }).waitFor();
      const name = await target.evaluate('getComputedStyle(document.querySelector(\'[aria-label="Registration in progress"] .progress__fill\')).animationName');
      release();
      await target.getByRole('alert').waitFor();
      await target.unroute('**/artifact/ingest');
      return String(name);
    };
    expect(await animationOf(page)).to.equal('slide');
    const { page: calm } = await ui.newPage({ reducedMotion: 'reduce' });
    await signIn(calm, ui.url, '#/add');
    expect(await animationOf(calm)).to.equal('none');
  });

  it('when there are more artifacts than fit a page, then "Load more" fetches the next page and focuses it', async () => {
    const zip = await tinyPackage('paged');
    for (let start = 0; start <= PAGE_SIZE; start += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, PAGE_SIZE + 1 - start) }, (_, index) =>
          ui.registry.request('POST', `/artifact/code?name=paged-${start + index}`, { body: zip, contentType: 'application/zip' })),
      );
    }
    await navLink(page, 'Artifacts').click();
    await page.getByRole('status').filter({ hasText: `${PAGE_SIZE} artifacts shown, more available.` }).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByRole('status').filter({ hasText: `${PAGE_SIZE + 1} artifacts shown.` }).waitFor();
    expect(await page.getByRole('button', { name: 'Load more' }).count()).to.equal(0);
    expect(await page.locator('.results tbody tr').count()).to.equal(PAGE_SIZE + 1);
    expect(await page.evaluate('document.activeElement === document.querySelector(".results tbody tr:last-child a")'), 'focus is on the first new row').to.equal(true);
  });

  it('when a model below the bar is registered instead of vetted, then it is stored, flagged on its page and in the list, and the list filters by it', async function () {
    // A registration and three accessibility scans: more than the default allowance on two shared cores.
    this.timeout(60_000);
    await navLink(page, 'Add').click();
    await page.getByLabel('Source URL').fill('https://huggingface.co/acme-test/tiny-lora');
    await page.getByLabel('Name to register under (optional)').fill('flagged-lora');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByText('Registered flagged-lora (model).').waitFor();
    const verdict = page.locator('.alert--warning').filter({ hasText: 'Flagged: this model is below the registry\'s trust bar.' });
    await verdict.waitFor();
    expect(await verdict.locator('tbody tr').count()).to.be.greaterThan(0);
    await expectAccessible(page, 'the add page with a flagged registration');

    await navLink(page, 'Artifacts').click();
    await page.getByLabel('Trust bar').selectOption('below');
    await page.getByRole('status').filter({ hasText: '1 artifact shown.' }).waitFor();
    const row = page.locator('.results tbody tr');
    expect(await row.innerText()).to.contain('flagged-lora');
    expect(await row.locator('.badge--trust-below').innerText()).to.equal('Below the bar');
    await expectAccessible(page, 'the artifact list filtered to flagged models');

    await row.getByRole('link', { name: 'flagged-lora' }).click();
    await heading(page, 'flagged-lora').waitFor();
    expect(await page.locator('.page-head .badge--trust-below').innerText()).to.equal('Below the bar');
    expect(await page.getByText('Flagged: this model is below the registry\'s trust bar.').isVisible()).to.equal(true);
    await expectAccessible(page, 'the page of a flagged model');
  });

  it('when a Kaggle dataset is registered without credentials, then its page says it is not mirrored and links the source instead of downloads', async () => {
    const created = await ui.registry.request<{ metadata: { id: string } }>('POST', '/artifact/dataset', { json: { url: 'https://www.kaggle.com/datasets/hliang001/flickr2k' } });
    expect(created.status).to.equal(201);
    await page.goto(`${ui.url}/#/artifacts/dataset/${created.body.metadata.id}`);
    await heading(page, 'flickr2k').waitFor();
    expect(await page.locator('.page-head').innerText()).to.contain('Not mirrored');
    const notice = page.locator('.alert--warning').filter({ hasText: 'Not mirrored: the registry holds no copy of this artifact.' });
    await notice.waitFor();
    expect(await notice.getByRole('link').getAttribute('href')).to.equal('https://www.kaggle.com/datasets/hliang001/flickr2k');
    expect(await page.getByRole('button', { name: /Download/ }).count()).to.equal(0);
    await expectAccessible(page, 'the page of an external reference');
  });

  it('when the admin resets the registry, then it asks first, cancelling keeps everything and confirming empties it', async () => {
    await navLink(page, 'Admin').click();
    await heading(page, 'Administration').waitFor();
    await expectAccessible(page, 'the admin page');
    await screenshot(page, 'admin');
    const open = page.getByRole('button', { name: 'Reset the registry…' });
    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Reset the whole registry?' });
    await dialog.waitFor();
    await expectAccessible(page, 'the reset confirmation');
    await screenshot(page, 'admin-confirm', false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const stillThere = await ui.registry.request<unknown[]>('POST', '/artifacts', { json: [{ name: '*' }] });
    expect(stillThere.body, 'a full first page').to.have.length(PAGE_SIZE);
    expect(stillThere.headers.get('offset'), 'and more after it').to.be.a('string');

    await open.click();
    await dialog.getByRole('button', { name: 'Yes, delete everything' }).click();
    await page.getByRole('status').filter({ hasText: 'The registry was reset.' }).waitFor();
    await navLink(page, 'Artifacts').click();
    await page.getByText('The registry is empty.').waitFor();
  });

  it('when the health dashboard is opened, then status, components and traffic charts with text alternatives are shown, live or paused', async () => {
    const { page: visitor } = await ui.newPage();
    await visitor.goto(`${ui.url}/#/health`);
    await heading(visitor, 'Health').waitFor();
    await visitor.getByRole('heading', { name: 'REST API', level: 3 }).waitFor();
    expect(await visitor.getByRole('heading', { name: 'Storage (memory)', level: 3 }).isVisible()).to.equal(true);
    expect(await visitor.locator('.page-head .status-badge').innerText()).to.equal('OK');
    const chart = visitor.getByRole('img', { name: /requests? in the last 60 minutes/ });
    expect(await chart.count(), 'the per-minute chart is described in words').to.equal(1);
    const routes = await visitor.getByRole('table', { name: 'Requests per route, busiest first' }).locator('tbody tr').allInnerTexts();
    expect(routes.some((row) => row.startsWith('POST /artifact/{artifact_type}'))).to.equal(true);
    const pause = visitor.getByRole('button', { name: 'Pause live updates' });
    await pause.click();
    const resume = visitor.getByRole('button', { name: 'Resume live updates' });
    expect(await resume.getAttribute('aria-pressed')).to.equal('true');
    expect(await visitor.getByText('Live updates paused.').isVisible()).to.equal(true);
    expect(await visitor.getByText('Sign in as an administrator to see the most recent log lines.').isVisible()).to.equal(true);
    await expectAccessible(visitor, 'the health dashboard');
    await screenshot(visitor, 'health');
  });

  it('when an administrator opens the health dashboard, then the most recent log lines are listed', async () => {
    await page.goto(`${ui.url}/#/health`);
    await heading(page, 'Health').waitFor();
    await page.getByText(/^Newest, at \d\d:\d\d:\d\d UTC/).waitFor();
    // Compact: the two traffic views share a row, the busiest routes only, the log lines folded away.
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    expect(height, 'page height in px at 1100 px wide').to.be.below(2000);
    await expectAccessible(page, 'the health dashboard with log lines folded');
    await screenshot(page, 'health-admin');

    const routes = page.getByRole('table', { name: 'Requests per route, busiest first' }).locator('tbody tr');
    const showAll = page.getByRole('button', { name: /^Show all \d+ routes$/ });
    const routeCount = Number(/\d+/.exec(await showAll.innerText())?.[0]);
    expect(await routes.count()).to.equal(6);
    await showAll.click();
    expect(await routes.count()).to.equal(routeCount);
    expect(await page.getByRole('button', { name: 'Show the busiest 6 only' }).getAttribute('aria-expanded')).to.equal('true');

    const table = page.getByRole('table', { name: /log lines, newest first/ });
    expect(await table.isVisible()).to.equal(false);
    await page.getByText(/^All \d+ lines, newest first$/).click();
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows.some((row) => row.includes('GET /health'))).to.equal(true);
    const times = await table.locator('tbody time').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime') ?? ''));
    expect(times.length).to.equal(rows.length);
    expect(times, 'newest first').to.deep.equal([...times].sort().reverse());
    await expectAccessible(page, 'the health dashboard with log lines');
    await screenshot(page, 'health-admin-logs');
  });
});
