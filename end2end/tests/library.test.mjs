// The library in a real browser: a generated video is renamed in place, found by its new title, downloaded as
// an attachment from the player, and deleted there after an inline confirmation, leaving /videos empty.
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

const PROMPT = 'A blue whale sings under the northern lights.';

test('a video is renamed, found by its title, downloaded and deleted', { timeout: 180_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl);

  await page.goto(`${server.baseUrl}/generate`);
  await waitForHydration(page);
  await page.getByTestId('prompt').fill(PROMPT);
  await page.getByTestId('duration').fill('2');
  await page.getByTestId('quality').selectOption('480p');
  await page.getByTestId('generate').click();
  await page.locator('[data-testid="job-panel"][data-status="completed"]').waitFor({ timeout: 120_000 });

  // The gallery shows it under a title taken from the prompt; rename it in place.
  await page.goto(`${server.baseUrl}/videos`);
  await waitForHydration(page);
  const card = page.getByTestId('video-card').first();
  await card.getByTestId('video-title').filter({ hasText: 'blue whale' }).waitFor();
  await card.getByTestId('rename').click();
  await card.getByTestId('rename-input').fill('Aurora song');
  await card.getByTestId('rename-save').click();
  await card.getByTestId('video-title').filter({ hasText: 'Aurora song' }).waitFor();
  assert.equal(page.url(), `${server.baseUrl}/videos`, 'renamed without leaving the page');

  // Search by the new title, in another case; a search for something else finds nothing.
  await page.getByTestId('search-input').fill('AURORA');
  await Promise.all([page.waitForURL(/\/videos\?q=AURORA$/), page.getByTestId('search-submit').click()]);
  await page.getByTestId('video-card').filter({ hasText: 'Aurora song' }).waitFor();
  assert.equal(await page.getByTestId('video-card').count(), 1);
  await page.getByTestId('search-input').fill('volcano');
  await Promise.all([page.waitForURL(/q=volcano$/), page.getByTestId('search-submit').click()]);
  await page.getByTestId('no-results').waitFor();

  // The player: Download saves an attachment.
  await page.goto(`${server.baseUrl}/videos?q=aurora`);
  await waitForHydration(page);
  await page.getByTestId('video-card').locator('a.video-link').click();
  await page.waitForURL(/\/videos\/job_/);
  await page.getByTestId('video-title').filter({ hasText: 'Aurora song' }).waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download').click()]);
  assert.match(download.suggestedFilename(), /\.mp4$/);
  const head = await fetch(download.url(), { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.match(head.headers.get('content-disposition') ?? '', /^attachment/);

  // Delete asks inline first; confirming returns to an empty gallery.
  await page.getByTestId('delete').click();
  await page.getByText('Delete this video for good?').waitFor();
  await Promise.all([page.waitForURL(/\/videos$/), page.getByTestId('confirm-delete').click()]);
  await page.getByText('Finished videos appear here.').waitFor();
  assert.equal(await page.getByTestId('video-card').count(), 0);
  const gone = await fetch(download.url(), { method: 'HEAD' });
  assert.equal(gone.status, 404, 'its signed URLs no longer work');
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
