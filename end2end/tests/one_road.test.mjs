// Pages reach the server one way: server functions, posted by real forms that work before (or without) the WASM,
// and sent from the browser by a client that refreshes an expired session token and retries once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, waitForHydration, signUpThroughUi } from './support/harness.mjs';

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

const PROMPT = 'A red circle drifts over a calm ocean. Then a golden star rises at sunset.';

/** The job panel's status, or null while the page is between loads. */
const statusOf = (page) => page.getByTestId('job-panel').getAttribute('data-status', { timeout: 2_000 }).catch(() => null);

test('with JavaScript disabled: sign up, generate, and follow the job on server-rendered pages', { timeout: 120_000 }, async () => {
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '600' });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();

  // The sign-up form is in the HTML itself, not in a streamed <template> only a script would reveal.
  await signUpThroughUi(page, server.baseUrl, { name: 'Grace' });

  await page.goto(`${server.baseUrl}/generate`);
  await page.getByTestId('prompt').fill('   ');
  await Promise.all([page.waitForURL(/\/generate\?.*__err=/), page.getByTestId('generate').click()]);
  const refusal = page.getByTestId('generate-error');
  await refusal.waitFor();
  assert.equal(await refusal.getAttribute('data-code'), 'invalid_prompt');

  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('duration').fill('2');
  await page.getByTestId('quality').selectOption('480p');
  const [answer] = await Promise.all([
    page.waitForResponse((res) => res.request().method() === 'POST' && res.url().includes('/api/generate_video')),
    page.waitForURL(/\/generate\?job=job_[^&]+$/),
    page.getByTestId('generate').click(),
  ]);
  assert.equal(answer.status(), 302, 'a plain form post is answered with a redirect');
  const jobId = new URL(page.url()).searchParams.get('job');
  assert.equal(await page.getByTestId('generate-error').count(), 0);
  const first = await statusOf(page);
  assert.ok(['queued', 'processing', 'completed'].includes(first), `the job is on the page: ${first}`);

  // Nothing polls without JavaScript; reloading the page (as a person would) shows the job move on.
  const deadline = Date.now() + 90_000;
  let status = first;
  while (status !== 'completed' && Date.now() < deadline) {
    assert.ok(!['failed', 'canceled'].includes(status), `job ended ${status}`);
    await page.waitForTimeout(1_000);
    await page.reload();
    status = (await statusOf(page)) ?? status;
  }
  assert.equal(status, 'completed');
  assert.equal(new URL(page.url()).searchParams.get('job'), jobId);

  // The job history lists it, rendered on the server too.
  await page.goto(`${server.baseUrl}/jobs`);
  await page.getByTestId('job-row').filter({ hasText: 'red circle' }).waitFor();
  await context.close();
});

test('with JavaScript disabled: a running job can be canceled from its page', { timeout: 60_000 }, async () => {
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '600', T2M_RENDER_FPS: '30' });
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/generate`);
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('duration').fill('30');
  await page.getByTestId('quality').selectOption('720p');
  await Promise.all([page.waitForURL(/\/generate\?job=job_/), page.getByTestId('generate').click()]);
  const jobUrl = page.url();
  // The cancel form posts, and the server sends the browser back to the job's page.
  await Promise.all([
    page.waitForResponse((res) => res.url() === jobUrl && res.request().method() === 'GET'),
    page.getByTestId('cancel-job').click(),
  ]);
  await page.waitForLoadState();
  assert.equal(await page.getByRole('alert').count(), 0, 'the cancel was accepted');
  // A rendering job stops at the worker's next check; reloading shows it.
  let status = await statusOf(page);
  for (let i = 0; i < 30 && status !== 'canceled'; i += 1) {
    assert.ok(['queued', 'processing'].includes(status), `job went on to ${status}`);
    await page.waitForTimeout(500);
    await page.reload();
    status = await statusOf(page);
  }
  assert.equal(status, 'canceled');
  await context.close();
});

test('a session token that expired mid-session is refreshed by the next action, with no error shown', { timeout: 90_000 }, async () => {
  // Tokens live 10 s; the verifier allows 5 s of clock skew.
  const { server, browser } = await setup({ T2M_INACTIVITY_TIMEOUT_SECS: '600', T2M_SESSION_TOKEN_TTL_SECS: '10' });
  const page = await browser.newPage();
  await signUpThroughUi(page, server.baseUrl);
  // Stop the page's clock: its token cache keeps believing the token fresh while the server's clock moves on,
  // which is what a laptop waking from sleep (or a skewed clock) looks like to the client.
  // (Five seconds in the past, so even a token minted a moment ago looks comfortably fresh to it.)
  await page.clock.setFixedTime(new Date(Date.now() - 5_000));
  await page.goto(`${server.baseUrl}/generate`);
  await waitForHydration(page);
  const calls = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/generate_video')) calls.push(res.status());
  });
  await page.waitForTimeout(20_000);

  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('duration').fill('2');
  await page.getByTestId('quality').selectOption('480p');
  await page.getByTestId('generate').click();
  await page.waitForURL(/\/generate\?job=job_/);
  await page.getByTestId('job-panel').waitFor();
  assert.deepEqual(calls, [401, 200], 'one refused call, one refresh, one retry that succeeded');
  assert.equal(await page.getByTestId('generate-error').count(), 0, 'no error is shown');
  assert.equal(await page.getByRole('alert').count(), 0, 'no alert of any kind');
});
