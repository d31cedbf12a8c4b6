// Sharing a video: Share on the player makes a link; a signed-out stranger opens it and the video plays; the owner
// revokes it on /profile and the link answers the 404 page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ T2M_RENDER_FPS: '12' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Waits until the `<video>` matched by `selector` has data, then plays it muted and sees time advance. */
async function assertPlays(page, selector) {
  await page.waitForFunction((sel) => {
    const v = document.querySelector(sel);
    return v && v.readyState >= 2;
  }, selector, { timeout: 20_000 });
  const t0 = await page.locator(selector).evaluate((v) => { v.muted = true; v.play(); return v.currentTime; });
  await page.waitForFunction(([sel, start]) => document.querySelector(sel).currentTime > start + 0.3,
    [selector, t0], { timeout: 15_000 });
}

test('a shared link plays for a signed-out visitor until its owner revokes it', { timeout: 180_000 }, async () => {
  const owner = await browser.newContext();
  await owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  const page = await owner.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/generate`);
  await waitForHydration(page);
  await page.getByTestId('prompt').fill('A green square glides across a quiet sky.');
  await page.getByTestId('duration').fill('2');
  await page.getByTestId('quality').selectOption('480p');
  await page.getByTestId('generate').click();
  await page.waitForURL(/job=/);
  const jobId = new URL(page.url()).searchParams.get('job');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="job-panel"]')?.getAttribute('data-status') === 'completed',
    null, { timeout: 120_000 });

  // The player shows the stored thumbnail as its poster, and offers Share.
  await page.goto(`${server.baseUrl}/videos/${jobId}`);
  await waitForHydration(page);
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="video-player"]')?.getAttribute('poster') ?? '').includes('/api/files/secure/'),
    null, { timeout: 20_000 });
  await page.getByTestId('share-create').click();
  const input = page.getByTestId('share-url');
  await input.waitFor();
  const link = await input.inputValue();
  assert.match(link, new RegExp(`^${server.baseUrl}/s/[A-Za-z0-9_-]{43}$`));
  await page.getByTestId('share-copy').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="share-copied"]')?.textContent === 'Copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

  // A stranger with a fresh browser: no session, no cookies, and the video plays.
  const stranger = await browser.newContext();
  const visitor = await stranger.newPage();
  const visitorErrors = watchConsole(visitor);
  const opened = await visitor.goto(link);
  assert.equal(opened.status(), 200);
  assert.match(await visitor.getByTestId('shared-title').textContent(), /green square/);
  await assertPlays(visitor, '[data-testid="shared-video"]');
  assert.deepEqual(await stranger.cookies(), [], 'the page sets no cookie');

  // The owner revokes it on the profile page.
  await page.goto(`${server.baseUrl}/profile`);
  await waitForHydration(page);
  await page.getByTestId('share-row').waitFor();
  await page.getByTestId('revoke-share').click();
  await page.getByTestId('no-share-links').waitFor({ timeout: 15_000 });

  const reopened = await visitor.goto(link);
  assert.equal(reopened.status(), 404);
  assert.equal(await visitor.locator('video').count(), 0);
  assert.match(await visitor.textContent('body'), /couldn't find that page/);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
  assert.deepEqual(visitorErrors.filter((e) => !e.includes('404')), [], `visitor errors: ${visitorErrors.join('\n')}`);
  await stranger.close();
  await owner.close();
});
