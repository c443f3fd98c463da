import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ADMIN } from '../support/test-registry';
import { expectAccessible, heading, navLink, screenshot, signIn, startUi, type UiHarness } from './support/ui-harness';

const sessionToken = (page: Page): Promise<string | null> => page.evaluate('sessionStorage.getItem("tmr.session")');

describe('UI: signing in and out', () => {
  let ui: UiHarness;

  before(async function () {
    ui = await startUi(this);
  });
  after(async () => ui?.close());

  it('when the password is wrong, then the page says so in words and nobody is signed in', async () => {
    const { page } = await ui.newPage();
    await page.goto(`${ui.url}/`);
    await heading(page, 'Sign in').waitFor();
    await page.getByLabel('User name').fill(ADMIN);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).to.contain('user name and password do not match');
    expect(await sessionToken(page)).to.equal(null);
    await expectAccessible(page, 'the sign-in page with an error');
    await screenshot(page, 'sign-in');
  });

  it('when the admin signs in, then the artifact list opens and the token stays in session storage, never in the URL', async () => {
    const { page } = await ui.newPage();
    await signIn(page, ui.url);
    await heading(page, 'Artifacts').waitFor();
    const stored = JSON.parse((await sessionToken(page)) ?? '{}') as { token?: string; userName?: string };
    expect(stored.token).to.match(/^bearer /);
    expect(stored.userName).to.equal(ADMIN);
    expect(page.url()).not.to.contain('bearer');
    expect(await page.getByRole('banner').innerText()).to.contain(ADMIN);
  });

  it('when the person signs out, then the token is forgotten and the sign-in page says so', async () => {
    const { page } = await ui.newPage();
    await signIn(page, ui.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'Sign in').waitFor();
    expect(await page.getByText('You have signed out.').isVisible()).to.equal(true);
    expect(await sessionToken(page)).to.equal(null);
  });

  it('when the registry rejects the token (403), then the app returns to sign-in with a message and back after', async () => {
    const { page } = await ui.newPage();
    await signIn(page, ui.url);
    await page.evaluate(`sessionStorage.setItem("tmr.session", JSON.stringify({ token: "bearer revoked", userName: "${ADMIN}" }))`);
    await navLink(page, 'Search').click();
    await page.getByLabel('Exact name').fill('anything');
    await page.getByRole('button', { name: 'Search by name' }).click();
    await heading(page, 'Sign in').waitFor();
    expect(await page.getByText('Your session has ended').isVisible()).to.equal(true);
    await signIn(page, ui.url, '#/search?by=name&name=anything');
    await page.getByRole('heading', { name: /Artifacts named “anything”/ }).waitFor();
  });
});
