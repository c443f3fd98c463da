import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { tinyPackage } from '../support/hf-packages';
import { ADMIN, ADMIN_PASSWORD } from '../support/test-registry';
import { focused, heading, startUi, tabTo, type UiHarness } from './support/ui-harness';

describe('UI: keyboard only', () => {
  let ui: UiHarness;

  before(async function () {
    ui = await startUi(this);
    const upload = await ui.registry.request('POST', '/artifact/model?name=keyboard-model&version=2.0.0', { body: await tinyPackage('keyboard-model'), contentType: 'application/zip' });
    expect(upload.status).to.equal(201);
  });
  after(async () => ui?.close());

  it('when someone uses only Tab, Enter and Space, then they can sign in, search, open an artifact and download it', async () => {
    const { page } = await ui.newPage();
    await page.goto(`${ui.url}/`);
    await heading(page, 'Sign in').waitFor();

    await tabTo(page, /^User name$/);
    await page.keyboard.type(ADMIN);
    await tabTo(page, /^Password$/);
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    await heading(page, 'Artifacts').waitFor();
    expect((await focused(page)).name, 'the new page\'s heading has focus').to.equal('Artifacts');

    await tabTo(page, /^Search$/);
    await page.keyboard.press('Enter');
    await heading(page, 'Search').waitFor();
    await tabTo(page, /^Exact name$/);
    await page.keyboard.type('keyboard-model');
    await tabTo(page, /^Search by name$/);
    await page.keyboard.press('Space');
    await page.getByRole('heading', { name: 'Artifacts named “keyboard-model”' }).waitFor();

    await tabTo(page, /^keyboard-model$/);
    await page.keyboard.press('Enter');
    await heading(page, 'keyboard-model').waitFor();
    await tabTo(page, /^Download$/);
    await page.keyboard.press('Enter');
    expect((await focused(page)).name).to.equal('Download');

    await tabTo(page, /^Download weights$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Space')]);
    expect(download.suggestedFilename()).to.equal('keyboard-model-weights.zip');
    const digest = createHash('sha256').update(await readFile(await download.path())).digest('hex');
    expect(await page.getByTestId('download-sha256').innerText()).to.equal(digest);
  });

  it('when focus moves by keyboard, then the focused control shows a visible focus ring', async () => {
    const { page } = await ui.newPage();
    await page.goto(`${ui.url}/`);
    await tabTo(page, /^User name$/);
    const ring = (await page.evaluate('(() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth]; })()')) as [string, string];
    expect(ring[0]).to.equal('solid');
    expect(parseFloat(ring[1])).to.be.at.least(2);
    await tabTo(page, /^Sign in$/);
    const buttonRing = (await page.evaluate('getComputedStyle(document.activeElement).outlineStyle')) as string;
    expect(buttonRing).to.equal('solid');
  });
});
