// The reason people come: describe a video, watch the progress bar advance, and see the result play in place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ T2M_RENDER_FPS: '30' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a prompt becomes a video that plays, with the progress bar advancing on the way', { timeout: 180_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/generate`);
  await waitForHydration(page);
  assert.equal(await page.locator('option[value="1080p"]').isDisabled(), true, '1080p is locked on the free plan');
  await page.getByTestId('prompt').fill('A red circle drifts over a calm ocean. Then a golden star rises at sunset.');
  await page.getByTestId('duration').fill('30');
  await page.getByTestId('quality').selectOption('720p');
  await page.getByTestId('generate').click();

  const seen = new Set();
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const status = await page.getByTestId('job-panel').getAttribute('data-status').catch(() => null);
    const value = await page.getByTestId('job-progress').getAttribute('aria-valuenow').catch(() => null);
    if (value !== null) seen.add(Number(value));
    if (status === 'completed') break;
    assert.ok(!['failed', 'canceled'].includes(status), `job ended ${status}`);
    await page.waitForTimeout(250);
  }
  const progress = [...seen].sort((a, b) => a - b);
  assert.ok(progress.some((p) => p > 0 && p < 100), `saw intermediate progress: ${progress}`);
  assert.ok(progress.includes(100), `reached 100: ${progress}`);

  const video = page.getByTestId('video-player');
  await video.waitFor();
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid="video-player"]');
    return v && v.readyState >= 2;
  }, null, { timeout: 20_000 });
  await video.evaluate((v) => { v.muted = true; return v.play(); });
  const t0 = await video.evaluate((v) => v.currentTime);
  await page.waitForFunction((start) => document.querySelector('[data-testid="video-player"]').currentTime > start + 0.5, t0, { timeout: 15_000 });
  const duration = await video.evaluate((v) => v.duration);
  assert.ok(Math.abs(duration - 30) <= 0.5, `duration ${duration}`);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
