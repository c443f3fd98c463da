import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { expectAccessible, heading, screenshot, SCREENSHOTS, signIn, startUi, type UiHarness } from './support/ui-harness';

describe('UI: a performance run from the health dashboard', () => {
  let ui: UiHarness;
  let page: Page;

  before(async function () {
    ui = await startUi(this);
    ({ page } = await ui.newPage());
    await signIn(page, ui.url);
  });
  after(async () => ui?.close());

  it('when a visitor opens the dashboard, then load runs are not offered and say why', async () => {
    const { page: visitor } = await ui.newPage();
    await visitor.goto(`${ui.url}/#/health`);
    await visitor.getByRole('heading', { name: 'Performance runs', level: 2 }).waitFor();
    expect(await visitor.getByText('Sign in as an administrator to run and compare load tests.').isVisible()).to.equal(true);
    expect(await visitor.getByRole('button', { name: 'Start load run' }).count()).to.equal(0);
  });

  it('when an administrator starts a small run, then its progress, figures, breakdown and chart are shown and it joins the comparison', async function () {
    this.timeout(90_000);
    await page.goto(`${ui.url}/#/health`);
    await heading(page, 'Health').waitFor();
    const form = page.getByRole('form', { name: 'Start a load run' });
    await form.waitFor();
    await expectAccessible(page, 'the health dashboard with the load-run form');
    await form.getByLabel('Concurrent clients').fill('3');
    await form.getByLabel('a number of downloads').check();
    await form.getByLabel('Downloads', { exact: true }).fill('12');
    await form.getByLabel('Models the registry should hold').fill('4');
    await form.getByLabel('Package weights in MB').fill('0.2');
    await form.getByRole('button', { name: 'Start load run' }).click();

    const result = page.getByRole('region', { name: /^Run of / });
    await result.waitFor({ timeout: 60_000 });
    const figures = await result.locator('.figures').innerText();
    expect(figures).to.match(/Throughput\s+[\d.,]+ req\/s/);
    expect(figures).to.match(/Data rate\s+[\d.,]+ MB\/s/);
    expect(figures).to.match(/p99 latency\s+[\d.,]+ ms/);
    expect(figures).to.contain('0 of 12');
    const stages = await result.getByRole('table', { name: /by stage/ }).locator('tbody tr').allInnerTexts();
    expect(stages).to.have.length(7);
    expect(stages[0]).to.match(/^Authentication\t[\d.,]+ ms\t[\d.]+ %/);
    expect(await result.getByRole('img', { name: /12 downloads in/ }).count(), 'the chart is described in words').to.equal(1);
    const rows = await page.getByRole('table', { name: 'Performance runs, newest first' }).locator('tbody tr').allInnerTexts();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.contain('memory');
    await expectAccessible(page, 'the health dashboard with a run result');
    await screenshot(page, 'health-performance-run');
    await page.locator('section[aria-labelledby="performance-heading"]').screenshot({ path: join(SCREENSHOTS, 'health-performance-run-section.png') });
  });
});
