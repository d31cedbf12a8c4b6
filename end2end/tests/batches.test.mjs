// Batches: a premium member (here the first admin, who has every premium page) queues three prompts on
// /premium/batch-processing and watches all three complete, each with a download link as it finishes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, watchConsole, waitForHydration } from './support/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ T2M_RENDER_FPS: '12', T2M_WORKERS: '2' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The first start writes the seeded admin's password into the data directory. */
function firstAdmin() {
  const text = readFileSync(join(server.dataDir, 'first-admin.txt'), 'utf8');
  return { email: text.match(/email:\s+(\S+)/)[1], password: text.match(/password:\s+(\S+)/)[1] };
}

test('a premium member runs a three-prompt batch and gets three downloads', { timeout: 180_000 }, async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  const { email, password } = firstAdmin();
  await page.goto(`${server.baseUrl}/sign-in?redirect_url=%2Fpremium%2Fbatch-processing`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/premium\/batch-processing/), page.click('button[type="submit"]')]);
  await waitForHydration(page);

  await page.getByTestId('batch-prompts').fill('A red circle at dawn.\nA blue square at noon.\nA golden star at night.');
  await page.getByTestId('batch-count').filter({ hasText: '3 of at most 50' }).waitFor();
  await page.getByTestId('batch-duration').fill('2');
  await page.getByTestId('batch-quality').selectOption('480p');
  await page.getByTestId('batch-submit').click();
  await page.waitForURL(/\?batch=batch_/);
  await page.getByTestId('batch-panel').waitFor();
  assert.equal(await page.getByTestId('batch-job').count(), 3);

  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-testid="batch-job"]')].every((r) => r.dataset.status === 'completed'),
    null, { timeout: 150_000, polling: 250 });
  await page.getByTestId('batch-summary').filter({ hasText: '3 of 3 completed' }).waitFor();
  const links = page.getByTestId('batch-download');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="batch-download"]').length === 3, null, { timeout: 20_000 });
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    assert.match(href, /\/api\/files\/secure\/.+download=1/);
    const res = await page.request.get(`${server.baseUrl}${href.replace(/^https?:\/\/[^/]+/, '')}`);
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-disposition'] ?? '', /attachment/);
  }
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});
