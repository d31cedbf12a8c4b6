// Files in a real browser: upload a generated video with a progress bar that reaches 100 %, open it in the
// secure player, seek to the middle and watch it play; refused uploads explain themselves; deletion is
// confirmed inline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

let server;
let browser;
let media;

before(async () => {
  media = mkdtempSync(join(tmpdir(), 't2m-e2e-media-'));
  // Four seconds of test pattern with noise, so the file is large enough (~10 MB) for progress to show.
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi',
    '-i', 'testsrc=duration=4:size=640x360:rate=25', '-vf', 'noise=alls=40:allf=t', '-pix_fmt', 'yuv420p',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-movflags', '+faststart', join(media, 'clip.mp4')]);
  writeFileSync(join(media, 'fake.mp4'), 'this is text, not a video\n'.repeat(20));
  writeFileSync(join(media, 'notes.txt'), 'meeting notes\n');
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (media) rmSync(media, { recursive: true, force: true });
});

async function filesPage() {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await signUpThroughUi(page, server.baseUrl);
  await page.goto(`${server.baseUrl}/files`);
  await waitForHydration(page);
  await page.getByTestId('upload-status').waitFor();
  // The empty list has loaded through the API, so the session object is ready for direct API calls too.
  await page.getByTestId('no-files').waitFor();
  await page.waitForFunction(() => Boolean(window.Clerk?.session));
  return { page, errors };
}

test('a video uploads with live progress to 100 %, then plays from the middle in the player', { timeout: 120_000 }, async () => {
  const { page, errors } = await filesPage();
  // Record every value the progress bar shows.
  await page.evaluate(() => {
    const bar = document.querySelector('[data-testid="upload-progress"]');
    window.__progress = [];
    new MutationObserver(() => window.__progress.push(Number(bar.getAttribute('aria-valuenow'))))
      .observe(bar, { attributes: true, attributeFilter: ['aria-valuenow'] });
  });
  // A slow uplink, so the progress events have something to report.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 4 * 1024 * 1024 });
  await page.getByTestId('file-input').setInputFiles(join(media, 'clip.mp4'));
  await page.getByTestId('upload-status').filter({ hasText: 'Uploaded clip.mp4.' }).waitFor({ timeout: 60_000 });
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  assert.equal(await page.getByTestId('upload-progress').getAttribute('aria-valuenow'), '100');
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.some((p) => p > 0 && p < 100), `intermediate progress was shown: ${seen.join(', ')}`);
  assert.equal(seen.at(-1), 100);

  const row = page.getByTestId('file-row').filter({ hasText: 'clip.mp4' });
  await row.waitFor();
  await row.getByTestId('open-file').click();
  await page.waitForURL(/\/videos\/file_[0-9a-f]+$/);
  await page.getByTestId('video-details').filter({ hasText: 'clip.mp4' }).waitFor();
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid="video-player"]');
    return v && v.readyState >= 1 && v.duration > 3;
  }, null, { timeout: 30_000 });
  const src = await page.getByTestId('video-player').getAttribute('src');
  assert.match(src, /\/api\/files\/secure\/file_[0-9a-f]+\?user_id=.+&expires=\d+&signature=[0-9a-f]{64}$/);
  const start = await page.evaluate(async () => {
    const v = document.querySelector('[data-testid="video-player"]');
    v.muted = true;
    v.currentTime = v.duration / 2;
    await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
    await v.play();
    return v.currentTime;
  });
  assert.ok(start >= 1.9 && start <= 2.1, `seeked to the middle (${start})`);
  await page.waitForFunction((t) => document.querySelector('[data-testid="video-player"]').currentTime > t + 0.5,
    start, { timeout: 15_000 });
  assert.equal(await page.evaluate(() => document.querySelector('[data-testid="video-player"]').paused), false);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('an upload can be canceled midway and leaves nothing behind', { timeout: 60_000 }, async () => {
  const { page } = await filesPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 512 * 1024 });
  await page.getByTestId('file-input').setInputFiles(join(media, 'clip.mp4'));
  await page.getByTestId('upload-status').filter({ hasText: 'Uploading clip.mp4' }).waitFor();
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="upload-progress"]').getAttribute('aria-valuenow')) > 0);
  await page.getByTestId('cancel-upload').click();
  await page.getByTestId('upload-status')
    .filter({ hasText: 'Upload of clip.mp4 canceled; nothing was kept.' }).waitFor();
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.reload();
  await waitForHydration(page);
  await page.getByTestId('no-files').waitFor();
});

test('a file dropped on the drop zone uploads like a picked one', async () => {
  const { page, errors } = await filesPage();
  const dropzone = page.getByTestId('dropzone');
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['dropped notes\n'], 'dropped.txt', { type: 'text/plain' }));
    return transfer;
  });
  await dropzone.dispatchEvent('dragover', { dataTransfer });
  assert.match(await dropzone.getAttribute('class'), /\bdragging\b/, 'the zone shows it will take the drop');
  await dropzone.dispatchEvent('drop', { dataTransfer });
  await page.getByTestId('upload-status').filter({ hasText: 'Uploaded dropped.txt.' }).waitFor();
  assert.doesNotMatch(await dropzone.getAttribute('class'), /\bdragging\b/);
  await page.getByTestId('file-row').filter({ hasText: 'dropped.txt' }).waitFor();
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('a file whose content contradicts its type is refused in plain words', async () => {
  const { page } = await filesPage();
  await page.getByTestId('file-input').setInputFiles(join(media, 'fake.mp4'));
  const status = page.getByTestId('upload-status');
  await status.filter({ hasText: 'sent as video/mp4 but its content is text/plain' }).waitFor();
  assert.equal(await status.getAttribute('class'), 'notice notice-error');
  assert.equal(await page.getByTestId('file-row').count(), 0);
});

test('deleting a file asks inline and removes its row', async () => {
  const { page, errors } = await filesPage();
  await page.getByTestId('file-input').setInputFiles(join(media, 'notes.txt'));
  const row = page.getByTestId('file-row').filter({ hasText: 'notes.txt' });
  await row.waitFor();
  await row.getByTestId('delete-file').click();
  await row.getByText('Delete notes.txt?').waitFor();
  await row.getByTestId('confirm-delete').click();
  await page.getByTestId('no-files').waitFor();
  assert.equal(await page.getByTestId('file-row').count(), 0);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('an unknown video id shows the not-found state', async () => {
  const { page } = await filesPage();
  await page.goto(`${server.baseUrl}/videos/file_00000000000000000000000000000000`);
  await waitForHydration(page);
  await page.getByTestId('player-not-found').waitFor();
});

test('a generated video plays in the player through its job id', { timeout: 180_000 }, async () => {
  const { page, errors } = await filesPage();
  const jobId = await page.evaluate(async () => {
    const token = await window.Clerk.session.getToken({ template: 't2m-api' });
    const res = await fetch('/api/v1/videos/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ prompt: 'A red ball bounces over a blue ocean at sunset.', duration: 2, quality: '480p' }),
    });
    return (await res.json()).data.job_id;
  });
  assert.match(jobId, /^job_/);
  // Poll from the test: waitForFunction would take an async predicate's promise as a truthy answer.
  for (let status = 'queued'; status !== 'completed';) {
    status = await page.evaluate(async (id) => {
      const token = await window.Clerk.session.getToken({ template: 't2m-api' });
      const res = await fetch(`/api/v1/jobs/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      return (await res.json()).data.status;
    }, jobId);
    assert.ok(!['failed', 'canceled'].includes(status), `job ${status}`);
    if (status !== 'completed') await page.waitForTimeout(1000);
  }
  await page.goto(`${server.baseUrl}/videos/${jobId}`);
  await waitForHydration(page);
  await page.waitForFunction(() => {
    const v = document.querySelector('[data-testid="video-player"]');
    return v && v.readyState >= 1 && v.duration > 1;
  }, null, { timeout: 30_000 });
  const start = await page.evaluate(async () => {
    const v = document.querySelector('[data-testid="video-player"]');
    v.muted = true;
    await v.play();
    return v.currentTime;
  });
  await page.waitForFunction((t) => document.querySelector('[data-testid="video-player"]').currentTime > t + 0.3,
    start, { timeout: 15_000 });
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('the player renews its signed URL before it expires and keeps playing', { timeout: 90_000 }, async () => {
  const { page, errors } = await filesPage();
  await page.getByTestId('file-input').setInputFiles(join(media, 'clip.mp4'));
  await page.getByTestId('upload-status').filter({ hasText: 'Uploaded clip.mp4.' }).waitFor({ timeout: 60_000 });
  // The player asks for hour-long URLs; its first ask is shortened to 20 s so the test sees a real expiry.
  const asked = [];
  // (Pages ask through the `sign_url` server function, whose arguments travel form-encoded.)
  await page.route('**/api/sign_url*', async (route) => {
    const body = new URLSearchParams(route.request().postData());
    asked.push(Number(body.get('expires_in')));
    if (asked.length === 1) body.set('expires_in', '20');
    await route.continue(asked.length === 1 ? { postData: body.toString() } : {});
  });
  await page.getByTestId('file-row').filter({ hasText: 'clip.mp4' }).getByTestId('open-file').click();
  await page.waitForURL(/\/videos\/file_[0-9a-f]+$/);
  const player = page.getByTestId('video-player');
  await page.waitForFunction(() => document.querySelector('[data-testid="video-player"]')?.readyState >= 1);
  const firstUrl = await player.getAttribute('src');
  await page.evaluate(async () => {
    const v = document.querySelector('[data-testid="video-player"]');
    v.muted = true;
    v.loop = true;
    await v.play();
  });
  await page.waitForFunction((first) => {
    const src = document.querySelector('[data-testid="video-player"]').getAttribute('src');
    return src && src !== first;
  }, firstUrl, { timeout: 30_000 });
  assert.deepEqual(asked.slice(0, 2), [3600, 3600], 'the renewal asks for a full lifetime again');
  const firstExpires = Number(new URL(firstUrl, server.baseUrl).searchParams.get('expires'));
  await page.waitForTimeout(Math.max(0, firstExpires * 1000 - Date.now() + 1500));
  assert.equal((await fetch(new URL(firstUrl, server.baseUrl))).status, 410, 'the first URL has expired');
  const before = await page.evaluate(async () => {
    const v = document.querySelector('[data-testid="video-player"]');
    v.currentTime = 1;
    await new Promise((resolve) => v.addEventListener('seeked', resolve, { once: true }));
    return v.currentTime;
  });
  await page.waitForFunction((t) => document.querySelector('[data-testid="video-player"]').currentTime > t + 0.5,
    before, { timeout: 15_000 });
  assert.equal(await page.getByTestId('player-error').count(), 0);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
