#!/usr/bin/env node
// What each page costs a first visit: the WASM, JS and CSS bytes Chromium downloads (as the server sends
// them, `Accept-Encoding: br, gzip`, cold cache) until the page has hydrated, per page, split by file. Pages
// are lazy routes, so each downloads the main module plus its own chunks; this is the figure the README's
// performance table quotes against issue #12's goals (≤ 250 KB for public pages, ≤ 350 KB for /generate).
//
// Run after a release build: `node scripts/bundle-report.mjs` (T2M_SERVER_BIN and LEPTOS_SITE_ROOT as for the
// journeys). BUNDLE_PAGES overrides the page list (comma-separated; signed-in pages sign up first).
import { startServer, launchBrowser, signUpThroughUi } from '../end2end/tests/support/harness.mjs';

const PUBLIC = ['/', '/pricing', '/about', '/contact', '/legal/privacy', '/legal/terms', '/sign-in'];
const SIGNED_IN = ['/generate', '/dashboard', '/jobs', '/videos', '/files', '/profile'];
const pages = process.env.BUNDLE_PAGES?.split(',') ?? [...PUBLIC, ...SIGNED_IN];

/** Cold load of `path`: per /pkg/ file, the body bytes as encoded on the wire and the response headers' bytes. */
async function pkgBytes(context, baseUrl, path) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map();
  const headerBytes = new Map();
  const files = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  // At this point encodedDataLength counts the status line and headers only.
  cdp.on('Network.responseReceived', (e) => headerBytes.set(e.requestId, e.response.encodedDataLength));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (!url?.includes('/pkg/')) return;
    const headers = headerBytes.get(e.requestId) ?? 0;
    files.set(new URL(url).pathname.replace('/pkg/', ''), { body: e.encodedDataLength - headers, headers });
  });
  await page.goto(`${baseUrl}${path}`);
  await page.waitForFunction(() => window.__t2m_hydrated === true, null, { timeout: 60_000, polling: 50 });
  // Chunks preloaded by the HTML may finish after hydration starts; let the network settle.
  await page.waitForLoadState('networkidle');
  await page.close();
  return files;
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`;
const server = await startServer({});
const browser = await launchBrowser();
try {
  const context = await browser.newContext();
  let signedIn = false;
  console.log('| page | WASM + JS + CSS bodies (as sent) | with response headers | files | largest |');
  console.log('|---|---|---|---|---|');
  for (const path of pages) {
    if (SIGNED_IN.includes(path) && !signedIn) {
      const setup = await context.newPage();
      await signUpThroughUi(setup, server.baseUrl);
      await setup.close();
      signedIn = true;
    }
    const files = await pkgBytes(context, server.baseUrl, path);
    const body = [...files.values()].reduce((a, f) => a + f.body, 0);
    const headers = [...files.values()].reduce((a, f) => a + f.headers, 0);
    const largest = [...files].sort((a, b) => b[1].body - a[1].body).slice(0, 4)
      .map(([f, n]) => `${f.replace(/_\d{6,}/, '')} ${kb(n.body)}`).join(', ');
    console.log(`| \`${path}\` | ${kb(body)} | ${kb(body + headers)} | ${files.size} | ${largest} |`);
  }
} finally {
  await browser.close();
  await server.stop();
}
