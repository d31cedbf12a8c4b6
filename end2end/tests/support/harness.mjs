// Starts a real t2m-server on a free port with its own data directory, and a headless Debian Chromium.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SERVER_BIN = process.env.T2M_SERVER_BIN ?? 'target/release/t2m-server';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs the server until `stop()`; resolves once it reports its address. */
export async function startServer(env = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 't2m-e2e-'));
  const child = spawn(SERVER_BIN, [], {
    env: { ...process.env, LEPTOS_SITE_ADDR: '127.0.0.1:0', T2M_DATA_DIR: dataDir, RUST_LOG: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/[\d.:]+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  return {
    baseUrl,
    dataDir,
    logs: () => output,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.on('exit', resolve)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A port free on 127.0.0.1 right now, for servers that must know each other's origins before either starts. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** A headless Chromium from Debian's package; never a downloaded browser. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
      '--no-first-run', '--disable-component-update', '--disable-sync',
      '--autoplay-policy=no-user-gesture-required'],
  });
}

/** Collects console errors and uncaught page errors so a test can assert there were none. */
export function watchConsole(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

/** Resolves once the WASM bundle has hydrated the page (Leptos removes nothing visible, so we wait for the flag). */
export async function waitForHydration(page) {
  await page.waitForFunction(() => window.__t2m_hydrated === true, null, { timeout: 30_000 });
}

/** Signs up through the hosted page like a person would; resolves on the onboarding page. */
export async function signUpThroughUi(page, baseUrl, { email, password = 'correct horse battery', name = 'Ada' } = {}) {
  const address = email ?? `user-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.goto(`${baseUrl}/sign-up`);
  await page.fill('#first_name', name);
  await page.fill('#email', address);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL(/\/onboarding$/), page.click('button[type="submit"]')]);
  return address;
}
