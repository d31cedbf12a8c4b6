// The deployment's layout in a browser: scripts/cluster (2 servers, 2 workers, nginx round robin, PostgreSQL,
// Redis, S3) → sign up, generate, watch progress, play through the nginx front, with requests landing on both
// servers (nginx names the one that answered in X-T2M-Upstream).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { launchBrowser, watchConsole, waitForHydration, signUpThroughUi } from './support/harness.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const env = {
  ...process.env,
  T2M_CLUSTER_DIR: join(tmpdir(), 't2m-e2e-cluster'),
  T2M_CLUSTER_PORT: process.env.T2M_E2E_CLUSTER_PORT || '18700',
};
const front = `http://127.0.0.1:${env.T2M_CLUSTER_PORT}`;
const cluster = (action) => execFileSync(join(ROOT, 'scripts/cluster'), [action], { env, stdio: 'inherit' });

let browser;

before(async () => {
  cluster('up');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  cluster('down');
});

test('through the cluster front: sign up, generate, watch progress, play; both servers answer', { timeout: 240_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  const upstreams = new Map();
  page.on('response', (res) => {
    const upstream = res.headers()['x-t2m-upstream'];
    if (upstream) upstreams.set(upstream, (upstreams.get(upstream) ?? 0) + 1);
  });
  await signUpThroughUi(page, front);
  await page.goto(`${front}/generate`);
  await waitForHydration(page);
  await page.getByTestId('prompt').fill('A golden star rises over a calm ocean at sunset.');
  await page.getByTestId('duration').fill('5');
  await page.getByTestId('quality').selectOption('480p');
  await page.getByTestId('generate').click();

  const seen = new Set();
  const deadline = Date.now() + 180_000;
  let status = null;
  while (Date.now() < deadline) {
    status = await page.getByTestId('job-panel').getAttribute('data-status').catch(() => null);
    const value = await page.getByTestId('job-progress').getAttribute('aria-valuenow').catch(() => null);
    if (value !== null) seen.add(Number(value));
    if (status === 'completed') break;
    assert.ok(!['failed', 'canceled'].includes(status), `job ended ${status}`);
    await page.waitForTimeout(200);
  }
  assert.equal(status, 'completed', `progress seen: ${[...seen]}`);
  assert.ok([...seen].includes(100), `reached 100: ${[...seen]}`);

  const video = page.getByTestId('video-player');
  await video.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="video-player"]')?.readyState >= 2, null, { timeout: 30_000 });
  await video.evaluate((v) => { v.muted = true; return v.play(); });
  const t0 = await video.evaluate((v) => v.currentTime);
  await page.waitForFunction((start) => document.querySelector('[data-testid="video-player"]').currentTime > start + 0.5, t0, { timeout: 20_000 });

  assert.equal(upstreams.size, 2, `requests landed on both servers: ${JSON.stringify([...upstreams])}`);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
