// The landing page hydrates: the billing toggle, which only works once WASM runs, changes the price.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, watchConsole, waitForHydration } from './support/harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('landing page hydrates and the pricing toggle reacts to clicks', async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  const response = await page.goto(`${server.baseUrl}/`);
  assert.equal(response.status(), 200);
  await waitForHydration(page);
  const price = page.getByTestId('price-premium');
  assert.equal(await price.textContent(), '$19.00');
  await page.getByTestId('billing-yearly').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="price-premium"]').textContent === '$15.83');
  assert.equal(await page.getByTestId('billing-yearly').getAttribute('aria-pressed'), 'true');
  await page.getByTestId('billing-monthly').click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid="price-premium"]').textContent === '$19.00');
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('client-side navigation reaches every public page without errors', async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  await page.goto(`${server.baseUrl}/`);
  await waitForHydration(page);
  for (const [link, heading] of [['Pricing', 'Pricing'], ['About', 'About T2M'], ['Contact', 'Contact']]) {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  }
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('a public page downloads the shell and its own group of pages, preloaded by the HTML', async () => {
  const page = await browser.newPage();
  const errors = watchConsole(page);
  const modules = [];
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (path.startsWith('/pkg/') && path.endsWith('.wasm')) modules.push(path.slice('/pkg/'.length));
  });
  const response = await page.goto(`${server.baseUrl}/about`);
  const html = await response.text();
  await waitForHydration(page);
  await page.waitForLoadState('networkidle');
  assert.ok(modules.includes('t2m.wasm'), `modules: ${modules}`);
  const site = modules.filter((m) => m.startsWith('split_site_page'));
  assert.equal(site.length, 1, `the site group's module, once: ${modules}`);
  for (const group of ['account', 'library', 'create', 'admin']) {
    assert.ok(!modules.some((m) => m.startsWith(`split_${group}_page`)), `${group} pages not fetched: ${modules}`);
  }
  // The server names the group's files in the page itself, so they load beside the main module.
  const preload = html.match(new RegExp(`<link[^>]*href="/pkg/${site[0]}"[^>]*>`));
  assert.ok(preload && preload[0].includes('rel="preload"'), `a preload link for ${site[0]} in the HTML`);
  // Preloaded, then used: each module is downloaded once.
  assert.equal(new Set(modules).size, modules.length, `each module fetched once: ${modules}`);
  modules.length = 0;
  // A page of another group loads that group (sign-in is a full navigation: its link is rel=external).
  await page.goto(`${server.baseUrl}/sign-in`);
  await waitForHydration(page);
  assert.ok(modules.some((m) => m.startsWith('split_account_page')), `account group fetched: ${modules}`);
  assert.ok(!modules.some((m) => m.startsWith('split_site_page')), `the site group is not needed: ${modules}`);
  assert.deepEqual(errors, [], `console errors: ${errors.join('\n')}`);
});

test('an unknown path shows the 404 page', async () => {
  const page = await browser.newPage();
  const response = await page.goto(`${server.baseUrl}/definitely-missing`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { name: "We couldn't find that page" }).waitFor();
});
