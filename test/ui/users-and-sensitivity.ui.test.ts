import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { tinyPackage } from '../support/hf-packages';
import { ADMIN, login } from '../support/test-registry';
import { expectAccessible, heading, navLink, screenshot, signIn, startUi, tabTo, type UiHarness } from './support/ui-harness';

const PASSWORD = 'four unrelated words here';
const HOOK = `const [model, uploader, downloader] = process.argv.slice(2);
if (downloader !== uploader) { console.log(downloader + ' is not cleared for ' + model); process.exit(3); }`;

const tokenIn = async (page: Page): Promise<string> =>
  String(await page.evaluate('JSON.parse(sessionStorage.getItem("tmr.session")).token'));

describe('UI: users, accounts, sign-out and sensitive models', function () {
  // Each test drives several pages and runs a pre-download program: give a loaded machine room.
  this.timeout(60_000);
  let ui: UiHarness;
  let admin: Page;
  let modelId: string;

  before(async function () {
    ui = await startUi(this);
    const upload = await ui.registry.request<{ metadata: { id: string } }>('POST', '/artifact/model?name=guarded-model', { body: await tinyPackage('guarded-model'), contentType: 'application/zip' });
    expect(upload.status).to.equal(201);
    modelId = upload.body.metadata.id;
    ({ page: admin } = await ui.newPage());
    await signIn(admin, ui.url);
  });
  after(async () => ui?.close());

  it('when an admin adds a user with permissions, edits them, resets the password and deletes another, then the registry holds exactly that', async () => {
    await navLink(admin, 'Admin').click();
    await heading(admin, 'Administration').waitFor();
    for (const name of ['carol', 'dave']) {
      await admin.getByLabel('New user\'s name').fill(name);
      await admin.getByLabel('New user\'s password').fill(`${PASSWORD} ${name === 'carol' ? 'c' : 'd'}`);
      await admin.getByRole('checkbox', { name: /^Download/ }).check();
      await admin.getByRole('button', { name: 'Add user' }).click();
      await admin.getByRole('status').filter({ hasText: `The user “${name}” was created with: Search, Download.` }).waitFor();
    }
    await admin.getByTestId('users-table').getByRole('row', { name: /carol/ }).waitFor();
    await expectAccessible(admin, 'the admin page with users');
    await screenshot(admin, 'admin-users');

    await admin.getByRole('button', { name: 'Edit carol' }).click();
    const editor = admin.locator('#user-editor');
    await editor.getByRole('checkbox', { name: /^Upload/ }).check();
    await editor.getByRole('button', { name: 'Save permissions' }).click();
    await editor.getByText('The permissions of “carol” are now: Search, Download, Upload.').waitFor();
    await editor.getByLabel('New password for carol').fill(PASSWORD);
    await editor.getByRole('button', { name: 'Reset password' }).click();
    await editor.getByText('The password of “carol” was reset.').waitFor();
    await expectAccessible(admin, 'the admin page with the user editor open');

    await admin.getByRole('button', { name: 'Delete dave' }).click();
    await admin.getByRole('dialog').getByRole('button', { name: 'Yes, delete the user' }).click();
    await admin.getByRole('status').filter({ hasText: 'The user “dave” was deleted.' }).waitFor();

    const carol = await ui.registry.request<{ permissions: Record<string, boolean> }>('GET', '/users/carol');
    expect(carol.body.permissions).to.deep.equal({ search: true, download: true, upload: true, admin: false });
    expect((await ui.registry.request('GET', '/users/dave')).status).to.equal(404);
    expect(await login(ui.url, 'carol', PASSWORD)).to.match(/^bearer /);
  });

  it('when a weak password is given for a new user, then the page says why and no user is created', async () => {
    await admin.getByLabel('New user\'s name').fill('erin');
    await admin.getByLabel('New user\'s password').fill('password1234');
    await admin.getByRole('button', { name: 'Add user' }).click();
    const alert = admin.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).to.contain('common breached passwords');
    expect((await ui.registry.request('GET', '/users/erin')).status).to.equal(404);
  });

  it('when a model\'s uploader sets a hook, then another user\'s download is refused with the program\'s message and the history shows it', async () => {
    await admin.goto(`${ui.url}/#/artifacts/model/${modelId}`);
    await heading(admin, 'guarded-model').waitFor();
    await admin.getByLabel('Pre-download program (JavaScript)').fill(HOOK);
    await admin.getByRole('button', { name: 'Save program' }).click();
    await admin.getByTestId('sensitivity-status').getByText('Sensitive', { exact: true }).waitFor();

    const { page: carol } = await ui.newPage();
    await signIn(carol, ui.url, `#/artifacts/model/${modelId}`, 'carol', PASSWORD);
    await carol.getByTestId('sensitivity-status').getByText('Sensitive', { exact: true }).waitFor();
    expect(await carol.getByLabel('Pre-download program (JavaScript)').count(), 'only the uploader and admins edit the program').to.equal(0);
    await carol.getByRole('button', { name: 'Download weights' }).click();
    const alert = carol.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).to.contain('The model\'s download check refused this download.');
    expect(await carol.getByTestId('hook-output').innerText()).to.contain(`carol is not cleared for guarded-model`);
    await expectAccessible(carol, 'the artifact page after a refused download');

    await admin.getByRole('button', { name: 'Refresh download history' }).click();
    const row = admin.getByTestId('download-history').getByRole('row', { name: /carol/ });
    await row.waitFor();
    expect(await row.innerText()).to.contain('Refused');
    await expectAccessible(admin, 'the artifact page of a sensitive model');
    await screenshot(admin, 'sensitive-model');

    await admin.getByRole('button', { name: 'Remove program' }).click();
    await admin.getByTestId('sensitivity-status').getByText('Not sensitive', { exact: true }).waitFor();
  });

  it('when users change their own password and sign out, then the new password works and the old token is revoked', async () => {
    const { page } = await ui.newPage();
    await signIn(page, ui.url, '#/', 'carol', PASSWORD);
    await page.getByRole('link', { name: /Your account/ }).click();
    await heading(page, 'Your account').waitFor();
    await expectAccessible(page, 'the account page');
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill('a brand new phrase for her');
    await page.getByLabel('New password again').fill('a brand new phrase for her');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password was changed.' }).waitFor();

    const token = await tokenIn(page);
    expect((await ui.registry.request('GET', '/users/carol', { token })).status, 'this tab stays signed in').to.equal(200);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await heading(page, 'Sign in').waitFor();
    expect((await ui.registry.request('GET', '/users/carol', { token })).status, 'the token is revoked').to.equal(403);
    expect(await login(ui.url, 'carol', 'a brand new phrase for her')).to.match(/^bearer /);
  });

  it('when users delete their own account with the keyboard, then they are signed out and the account is gone', async () => {
    await ui.registry.request('POST', '/users', { json: { name: 'frank', password: PASSWORD, permissions: { search: true } } });
    const { page } = await ui.newPage();
    await signIn(page, ui.url, '#/account', 'frank', PASSWORD);
    await heading(page, 'Your account').waitFor();
    await tabTo(page, /^Delete my account…$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Yes, delete my account$/);
    await page.keyboard.press('Enter');
    await heading(page, 'Sign in').waitFor();
    await page.getByText('The account “frank” was deleted.').waitFor();
    expect((await ui.registry.request('GET', '/users/frank')).status).to.equal(404);
    expect((await ui.registry.request('GET', `/users/${ADMIN}`)).status).to.equal(200);
  });
});
