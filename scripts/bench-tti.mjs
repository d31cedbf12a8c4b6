#!/usr/bin/env node
// Time to interactive on a slow phone: headless Chromium with the CPU throttled 4× and DevTools' "Fast 3G"
// network profile (562.5 ms latency, 1.44 Mb/s down, 675 kb/s up), cold cache, for `/` (signed out) and
// `/generate` (signed in).
// Interactive = the WASM has hydrated the page (`window.__t2m_hydrated`), i.e. buttons and forms react.
//
// Run after a release build: `node scripts/bench-tti.mjs` (T2M_SERVER_BIN and LEPTOS_SITE_ROOT as for the
// journeys; TTI_RUNS sets the runs per page, default 5). Prints the median and every run, plus the bytes the
// page downloaded as the server sent them.
import { startServer, launchBrowser, signUpThroughUi } from '../end2end/tests/support/harness.mjs';

const RUNS = Number(process.env.TTI_RUNS ?? 5);
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};

/** One cold load of `path` under throttling: milliseconds to first paint content and to hydration, bytes. */
async function coldLoad(context, baseUrl, path) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
  const start = Date.now();
  await page.goto(`${baseUrl}${path}`, { waitUntil: 'commit', timeout: 120_000 });
  await page.waitForFunction(() => window.__t2m_hydrated === true, null, { timeout: 120_000, polling: 50 });
  const interactive = Date.now() - start;
  const paint = await page.evaluate(() =>
    performance.getEntriesByType('paint').find((e) => e.name === 'first-contentful-paint')?.startTime ?? null);
  await page.close();
  return { interactive, paint: paint === null ? null : Math.round(paint), bytes };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer({});
const browser = await launchBrowser();
try {
  // `/` as a first-time visitor sees it, signed out (a signed-in visitor is sent on to the dashboard).
  const visitor = await browser.newContext();
  // /generate needs a session: signed up once, unthrottled; its cookies carry over to the throttled loads.
  const member = await browser.newContext();
  const setup = await member.newPage();
  await signUpThroughUi(setup, server.baseUrl);
  await setup.close();
  console.log(`TTI, 4x CPU throttling + Fast 3G, cold cache, ${RUNS} runs per page`);
  for (const [path, context] of [['/', visitor], ['/generate', member]]) {
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(await coldLoad(context, server.baseUrl, path));
    const tti = runs.map((r) => r.interactive);
    const fcp = runs.map((r) => r.paint).filter((p) => p !== null);
    console.log(
      `${path.padEnd(10)} interactive median ${median(tti)} ms (runs ${tti.join(', ')}), ` +
        `first contentful paint median ${fcp.length ? median(fcp) : '?'} ms, ${median(runs.map((r) => r.bytes))} bytes`,
    );
  }
} finally {
  await browser.close();
  await server.stop();
}
