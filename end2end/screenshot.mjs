// Takes the README screenshots: `node end2end/screenshot.mjs` after `cargo leptos build --release`.
import { startServer, launchBrowser, signUpThroughUi, waitForHydration } from './tests/support/harness.mjs';

const server = await startServer();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`${server.baseUrl}/`);
await waitForHydration(page);
await page.screenshot({ path: 'docs/screenshot.png' });
await signUpThroughUi(page, server.baseUrl, { name: 'Ada' });
await page.goto(`${server.baseUrl}/generate`);
await waitForHydration(page);
await page.getByTestId('prompt').fill('A red circle drifts over a calm ocean. Then a golden star rises at sunset.');
await page.getByTestId('duration').fill('6');
await page.getByTestId('quality').selectOption('480p');
await page.getByTestId('generate').click();
await page.getByTestId('video-player').waitFor({ timeout: 60_000 });
await page.waitForFunction(() => document.querySelector('[data-testid="video-player"]').readyState >= 2);
await page.evaluate(() => { const v = document.querySelector('[data-testid="video-player"]'); v.muted = true; v.currentTime = 2.5; });
await page.waitForTimeout(800);
await page.screenshot({ path: 'docs/generate.png' });
await browser.close();
await server.stop();
