import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { tinyPackage } from '../support/hf-packages';
import { heading, screenshot, signIn, startUi, type UiHarness } from './support/ui-harness';

/** Everything the browser reports as blocked by the Content-Security-Policy while the page is used. */
function cspViolations(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) found.push(message.text());
  });
  return found;
}

describe('UI: interactive API docs and the web UI under the security headers', () => {
  let ui: UiHarness;

  before(async function () {
    ui = await startUi(this);
  });
  after(async () => ui?.close());

  it('when /docs is opened at a host name other than 127.0.0.1, then Authorize takes the token once and "Try it out" calls this registry with it', async () => {
    const { page } = await ui.newPage();
    const violations = cspViolations(page);
    const origin = ui.url.replace('127.0.0.1', 'localhost');
    const sent: { url: string; token: string | undefined }[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/reset')) sent.push({ url: request.url(), token: request.headers()['x-authorization'] });
    });
    await page.goto(`${origin}/docs/`);
    await page.locator('.opblock-summary-path[data-path="/reset"]').waitFor();
    await page.getByRole('button', { name: /Authorize/ }).first().click();
    await page.locator('.auth-container input').first().fill(await ui.registry.token());
    await page.locator('.auth-btn-wrapper button.authorize').click();
    await page.locator('.auth-btn-wrapper button.btn-done').click();
    await page.locator('.opblock-summary-path[data-path="/reset"]').click();
    await page.locator('.try-out__btn').click();
    await page.locator('.execute').click();
    await page.locator('.live-responses-table tbody .response-col_status').waitFor();
    expect((await page.locator('.live-responses-table tbody .response-col_status').innerText()).trim()).to.equal('200');
    expect(sent).to.have.length(1);
    expect(sent[0]?.url).to.equal(`${origin}/reset`);
    expect(sent[0]?.token).to.match(/^bearer /);
    await screenshot(page, 'docs-try-it-out');
    expect(violations).to.deep.equal([]);
  });

  it('when the web UI is used to sign in, list and open an artifact, then nothing is blocked by its policy', async () => {
    const created = await ui.registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=csp-check', { body: await tinyPackage('csp-check'), contentType: 'application/zip' });
    expect(created.status).to.equal(201);
    const { page } = await ui.newPage();
    const violations = cspViolations(page);
    await signIn(page, ui.url);
    await heading(page, 'Artifacts').waitFor();
    await page.goto(`${ui.url}/#/artifacts/model/${created.body.metadata.id}`);
    await heading(page, 'csp-check').waitFor();
    expect(violations).to.deep.equal([]);
  });
});
