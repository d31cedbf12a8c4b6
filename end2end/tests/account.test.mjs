// The account in a real browser: a forgotten password reset through the outbox's mail, then signing in with
// the new one; "Download my data" gives a zip; deleting the account ends at / signed out, and the old
// credentials no longer sign in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The newest reset link in the server's outbox, waiting for the mail to be written. */
async function resetLinkFromOutbox() {
  const outbox = join(server.dataDir, 'outbox');
  for (let i = 0; i < 100; i += 1) {
    let files = [];
    try {
      files = readdirSync(outbox).filter((f) => f.endsWith('.eml')).sort();
    } catch { /* not created yet */ }
    if (files.length > 0) {
      const mail = readFileSync(join(outbox, files[files.length - 1]), 'utf8');
      const match = mail.match(/https?:\/\/\S+\/reset-password\?token=[0-9a-f]+/);
      assert.ok(match, `a reset link in:\n${mail}`);
      return match[0];
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no mail reached the outbox');
}

async function signIn(page, email, password) {
  await page.goto(`${server.baseUrl}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type="submit"]');
  await page.waitForLoadState('load');
}

test('a forgotten password is reset through the mailed link and the new one signs in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchConsole(page);
  const email = await signUpThroughUi(page, server.baseUrl);
  await context.clearCookies();

  await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByTestId('forgot-password').click();
  await page.waitForURL(/\/forgot-password$/);
  await page.fill('#email', email);
  await page.getByTestId('send-reset-link').click();
  await page.getByTestId('reset-sent').waitFor();

  const link = await resetLinkFromOutbox();
  await page.goto(link);
  await page.fill('#password', 'a brand new passphrase');
  await page.getByTestId('reset-password').click();
  await page.getByTestId('reset-done-notice').waitFor();

  await signIn(page, email, 'correct horse battery');
  assert.match(page.url(), /\/sign-in\?error=bad_credentials/, 'the old password no longer works');
  await signIn(page, email, 'a brand new passphrase');
  await page.waitForURL(/\/dashboard$/);
  await page.getByTestId('usage-meter').waitFor();
  assert.deepEqual(errors.filter((e) => !e.includes('401')), []);
  await context.close();
});

test('"Download my data" gives a zip of the account', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/profile`);
  await waitForHydration(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-data').click(),
  ]);
  const path = await download.path();
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip archive');
  assert.ok(bytes.includes(Buffer.from('account.json')));
  assert.ok(bytes.includes(Buffer.from('jobs.json')));
  assert.ok(bytes.includes(Buffer.from('files.json')));
  await context.close();
});

test('deleting the account signs out, lands on / with a notice, and the old credentials are dead', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/profile`);
  await waitForHydration(page);
  await page.getByTestId('delete-secret').fill('not my password');
  await page.getByTestId('delete-account').click();
  await page.getByTestId('confirm-delete-account').click();
  await page.getByTestId('delete-account-error').waitFor();

  await page.getByTestId('delete-secret').fill('correct horse battery');
  await page.getByTestId('confirm-delete-account').click();
  await page.waitForURL(`${server.baseUrl}/?notice=account_deleted`);
  await page.getByTestId('account-deleted-notice').waitFor();
  await page.goto(`${server.baseUrl}/dashboard`);
  assert.match(page.url(), /\/sign-in/, 'signed out');

  await signIn(page, email, 'correct horse battery');
  assert.match(page.url(), /\/sign-in\?error=bad_credentials/);
  await context.close();
});
