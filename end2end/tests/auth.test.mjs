// Sessions in a real browser: sign-up to onboarding and dashboard, tokens refreshed before they expire, and
// sign-out after inactivity with the reason shown on the sign-in page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

const cleanup = [];
after(async () => {
  for (const stop of cleanup.reverse()) await stop();
});

async function setup(env) {
  const server = await startServer(env);
  const browser = await launchBrowser();
  cleanup.push(() => server.stop(), () => browser.close());
  return { server, browser };
}

test('sign-up lands on onboarding, then the dashboard greets the new user', async () => {
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '600' });
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl, { name: 'Ada' });
  await waitForHydration(page);
  await page.getByTestId('onboarding').waitFor();
  await page.getByTestId('finish-onboarding').click();
  await page.waitForURL(/\/dashboard$/);
  await page.getByTestId('welcome').filter({ hasText: 'Welcome back, Ada' }).waitFor();
  assert.equal(await page.getByTestId('user-chip').textContent().then((t) => t.includes('Ada')), true);
  assert.deepEqual(errors, []);
});

test('a signed-in tab keeps working past one token lifetime because tokens are refreshed', { timeout: 180_000 }, async () => {
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '600' });
  const page = await browser.newPage();
  const refreshes = [];
  const unauthorized = [];
  page.on('response', (res) => {
    if (/\/v1\/client\/sessions\/[^/]+\/tokens/.test(res.url()) && res.status() === 200) refreshes.push(Date.now());
    if (res.status() === 401) unauthorized.push(res.url());
  });
  const email = await signUpThroughUi(page, server.baseUrl);
  await waitForHydration(page);
  const started = Date.now();
  // Past a full 60-second token lifetime, with no page load in between.
  await page.waitForTimeout(70_000);
  await page.getByRole('link', { name: 'Jobs', exact: true }).click();
  await page.waitForURL(/\/jobs$/);
  await page.getByRole('heading', { name: 'Your jobs' }).waitFor();
  await page.getByTestId('user-chip').click();
  await page.getByTestId('menu-profile').click();
  await page.getByTestId('profile-email').filter({ hasText: email }).waitFor();
  const during = refreshes.filter((t) => t > started);
  assert.ok(during.length >= 1, `tokens were refreshed during the wait (${refreshes.length} total)`);
  assert.deepEqual(unauthorized, [], 'no request was refused');
});

test('inactivity signs the user out and the sign-in page says why', { timeout: 60_000 }, async () => {
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '4' });
  const page = await browser.newPage();
  await signUpThroughUi(page, server.baseUrl);
  await waitForHydration(page);
  await page.waitForURL(/\/sign-in\?reason=inactivity/, { timeout: 20_000 });
  await page.getByTestId('inactivity-notice').waitFor();
  const response = await page.goto(`${server.baseUrl}/dashboard`);
  assert.match(page.url(), /\/sign-in\?redirect_url=%2Fdashboard/);
  assert.equal(response.status(), 200);
});

test('activity keeps the session alive past the inactivity timeout', { timeout: 60_000 }, async () => {
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '5' });
  const page = await browser.newPage();
  await signUpThroughUi(page, server.baseUrl);
  await waitForHydration(page);
  for (let i = 0; i < 8; i += 1) {
    await page.mouse.move(100 + i * 10, 200);
    await page.waitForTimeout(1_000);
  }
  assert.match(page.url(), /\/onboarding$/);
});

test('signing out from the profile ends the session', async () => {
  const { server, browser } = await setup({});
  const page = await browser.newPage();
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/profile`);
  await waitForHydration(page);
  await page.getByTestId('sign-out').click();
  await page.waitForURL(`${server.baseUrl}/`);
  await page.goto(`${server.baseUrl}/dashboard`);
  assert.match(page.url(), /\/sign-in/);
});
