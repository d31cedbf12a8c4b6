// Live progress: /jobs follows a rendering job over server-sent events, so its row's progress moves and the row
// reaches "completed" without the page being reloaded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

let server;
let browser;

before(async () => {
  // A slow-ish render, so there is progress to watch.
  server = await startServer({ T2M_RENDER_FPS: '30' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Queues a job through the REST API from the page, as the signed-in user. */
function generate(page, request) {
  return page.evaluate(async (body) => {
    const res = await fetch('/api/v1/videos/generate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }, request);
}

test('a job row on /jobs shows progress rising and then completed, without a reload', { timeout: 180_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  const streams = [];
  page.on('request', (req) => { if (req.url().endsWith('/api/v1/jobs/events')) streams.push(req.url()); });
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/jobs`);
  await waitForHydration(page);
  // The page is open before the job exists: a load marker tells a reload from a live update.
  await page.evaluate(() => { window.__t2m_same_page = true; });
  const created = await generate(page, { prompt: 'A red circle drifts over a calm ocean at sunset.', duration: 20, quality: '720p' });
  assert.equal(created.status, 202, JSON.stringify(created.body));

  const row = page.getByTestId('job-row').first();
  const seen = new Set();
  const deadline = Date.now() + 150_000;
  let status = null;
  while (Date.now() < deadline) {
    status = await row.getAttribute('data-status').catch(() => null);
    if (status === 'completed') break;
    assert.ok(!['failed', 'canceled'].includes(status), `job ended ${status}`);
    const text = await page.getByTestId('job-row-progress').first().textContent().catch(() => null);
    const match = text?.match(/(\d+)%/);
    if (match && status === 'processing') seen.add(Number(match[1]));
    await page.waitForTimeout(200);
  }
  assert.equal(status, 'completed', 'the row reached completed');
  const progress = [...seen].sort((a, b) => a - b);
  assert.ok(progress.filter((p) => p > 0 && p < 100).length >= 2, `saw the progress move in place: ${progress}`);
  assert.equal(await page.evaluate(() => window.__t2m_same_page), true, 'the page was never reloaded');
  assert.ok(streams.length >= 1, 'the page followed the all-jobs stream');
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('a job that finishes before the page\'s stream opens still shows completed', { timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl);
  // The stream opens only after the job has finished, as on a slow phone where hydration outlasts a short render:
  // its events carry only later changes, so the page must catch up on what it loaded.
  let released = false;
  await page.route('**/api/v1/jobs/events', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 9_000));
    released = true;
    await route.continue();
  });
  const created = await generate(page, { prompt: 'A golden star over a quiet city at night.', duration: 6, quality: '720p' });
  assert.equal(created.status, 202, JSON.stringify(created.body));
  await page.goto(`${server.baseUrl}/jobs`);
  const row = page.getByTestId('job-row').first();
  assert.notEqual(await row.getAttribute('data-status'), 'completed', 'the page loaded the job before it finished');
  await waitForHydration(page);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-row"]')?.dataset.status === 'completed',
    null, { timeout: 60_000, polling: 200 });
  assert.ok(released, 'the row caught up through the opened stream, not before it');
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
