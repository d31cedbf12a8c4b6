// Prompts in other scripts (Cyrillic, right-to-left Arabic) render into videos that play in the browser.
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

async function generateAndPlay(page, prompt) {
  await page.goto(`${server.baseUrl}/generate`);
  await waitForHydration(page);
  await page.getByTestId('prompt').fill(prompt);
  await page.getByTestId('duration').fill('6');
  await page.getByTestId('quality').selectOption('480p');
  await page.getByTestId('generate').click();

  const deadline = Date.now() + 90_000;
  let status = null;
  while (Date.now() < deadline) {
    status = await page.getByTestId('job-panel').getAttribute('data-status').catch(() => null);
    if (status === 'completed') break;
    assert.ok(!['failed', 'canceled'].includes(status), `job for "${prompt}" ended ${status}`);
    await page.waitForTimeout(250);
  }
  assert.equal(status, 'completed', `job for "${prompt}" did not complete`);

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
  assert.ok(Math.abs(duration - 6) <= 0.5, `duration ${duration}`);
}

test('a Russian and an Arabic prompt each become a video that plays', { timeout: 240_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl);
  await generateAndPlay(page, 'Золотая звезда восходит над тихим океаном. Волны уходят в ночь.');
  await generateAndPlay(page, 'نجمة ذهبية تشرق فوق المحيط الهادئ. الأمواج تختفي في الليل.');
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
