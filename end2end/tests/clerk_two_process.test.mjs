// Issue #13's "done when" in Chromium: T2M A runs the built-in provider, T2M B runs in Clerk mode with A as its
// Clerk (issuer, Frontend API, Backend API, secret key, webhook secret, Account Portal pages). They are on two
// hosts, as Clerk and an app are: A on 127.0.0.1, B on localhost, so the browser keeps their cookies apart and
// B's session can only come through the handshake. A's webhooks reach B through a relay that records what B
// answered, so "the webhook reached B" is seen, not inferred.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, waitForHydration, freePort } from './support/harness.mjs';

/** A's session token lifetime: short, so "wait past the token lifetime" takes seconds. */
const TOKEN_TTL_SECS = 10;
const PASSWORD = 'correct horse battery';

let a;
let b;
let relay;
let browser;
/** What B answered to each of A's deliveries: `{ type, id, status }`. */
const delivered = [];
let aUrl;
let bUrl;

/** Relays A's webhooks to B (B's real address), recording B's answer; 503 until B is up. */
function startRelay(target) {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks).toString('utf8');
    let status = 503;
    try {
      const answer = await fetch(`${target()}/api/webhooks/clerk`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'svix-id': req.headers['svix-id'],
          'svix-timestamp': req.headers['svix-timestamp'],
          'svix-signature': req.headers['svix-signature'],
        },
        body,
      });
      status = answer.status;
    } catch { /* B not listening yet: A retries */ }
    const event = JSON.parse(body);
    delivered.push({ type: event.type, id: event.data?.id, data: event.data, status });
    res.writeHead(status).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  const [aPort, bPort] = [await freePort(), await freePort()];
  aUrl = `http://127.0.0.1:${aPort}`;
  bUrl = `http://localhost:${bPort}`;
  let bAddress = null;
  relay = await startRelay(() => bAddress);
  a = await startServer({
    LEPTOS_SITE_ADDR: `127.0.0.1:${aPort}`,
    T2M_LOCAL_REDIRECT_ORIGINS: bUrl,
    T2M_LOCAL_WEBHOOK_URLS: `http://127.0.0.1:${relay.address().port}/hook`,
    T2M_LOCAL_WEBHOOK_RETRY_MS: '0,200,500,1000,2000,4000',
    T2M_SESSION_TOKEN_TTL_SECS: String(TOKEN_TTL_SECS),
  });
  const key = (name) => readFileSync(join(a.dataDir, 'keys', name), 'utf8').trim();
  b = await startServer({
    LEPTOS_SITE_ADDR: `127.0.0.1:${bPort}`,
    APP_URL: bUrl,
    CLERK_ISSUER: aUrl,
    CLERK_FRONTEND_API: aUrl,
    CLERK_API_URL: aUrl,
    CLERK_SECRET_KEY: key('backend-secret-key'),
    CLERK_WEBHOOK_SECRET: key('webhook-signing-secret'),
    CLERK_AUTHORIZED_PARTIES: `${aUrl},${bUrl}`,
    CLERK_SIGN_IN_URL: `${aUrl}/sign-in`,
    CLERK_SIGN_UP_URL: `${aUrl}/sign-up`,
  });
  bAddress = b.baseUrl;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await b?.stop();
  await a?.stop();
  relay?.close();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\nA:\n${a.logs().slice(-3000)}\nB:\n${b.logs().slice(-3000)}`);
    }
    await sleep(100);
  }
}

/** A's Backend API with its secret key, as an operator (or B) calls it. */
async function backend(method, path, body) {
  const res = await fetch(`${aUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${readFileSync(join(a.dataDir, 'keys', 'backend-secret-key'), 'utf8').trim()}`,
      'content-type': 'application/json',
    },
    body: body && JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

/** A browser: its context, every navigation it makes (redirect hops included), and console errors. */
async function person() {
  const context = await browser.newContext();
  const navigations = [];
  context.on('request', (request) => {
    if (request.isNavigationRequest()) navigations.push(request.url());
  });
  const errors = [];
  const watch = (page) => {
    page.on('console', (msg) => {
      // B's pages ask A for Clerk's browser script, which the built-in provider does not serve (see the README).
      const said = `${msg.text()} @ ${msg.location().url}`;
      if (msg.type() === 'error' && !said.includes('clerk.browser.js')) {
        errors.push(said);
      }
    });
    page.on('pageerror', (err) => errors.push(String(err)));
    return page;
  };
  return { context, navigations, errors, open: async () => watch(await context.newPage()) };
}

/** Runs `step` and returns the navigations it made. */
async function navigationsOf(who, step) {
  const from = who.navigations.length;
  await step();
  return who.navigations.slice(from);
}

function assertHandshakeWithoutSignIn(hops, what) {
  assert.ok(
    hops.some((url) => url.startsWith(`${aUrl}/v1/client/handshake?redirect_url=`)),
    `${what} went through A's handshake: ${hops.join(' → ')}`,
  );
  for (const url of hops) {
    const { pathname } = new URL(url);
    assert.ok(!['/sign-in', '/sign-up'].includes(pathname), `${what} never visits a sign-in page: ${url}`);
  }
}

/** Signs up on A's hosted page, starting from B's `/sign-up`; resolves on B's onboarding. */
async function signUpFromB(page, email) {
  await page.goto(`${bUrl}/sign-up`);
  assert.ok(page.url().startsWith(`${aUrl}/sign-up?redirect_url=`), `B sends sign-up to A's page: ${page.url()}`);
  await page.fill('#first_name', 'Ada');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(`${bUrl}/onboarding`), page.click('button[type="submit"]')]);
}

/** The user id of the browser's session at A. */
async function userIdAtA(who) {
  const res = await who.context.request.get(`${aUrl}/v1/client`);
  const client = await res.json();
  assert.equal(client.signed_in, true, 'signed in at A');
  return client.session.user.id;
}

function deliveredOk(type, userId) {
  return delivered.find((d) => d.type === type && d.id === userId && d.status >= 200 && d.status < 300);
}

test('sign-up on A lands on B; the handshake renews B\'s session; a promotion on B goes through A and back; deletion on B deletes at A and on B', async () => {
  const stamp = Date.now();
  const adminEmail = `boss-${stamp}@example.com`;
  const email = `ada-${stamp}@example.com`;

  // An admin: signed up like anyone, then made admin at A (where Clerk keeps roles) through the Backend API.
  const boss = await person();
  const bossPage = await boss.open();
  await signUpFromB(bossPage, adminEmail);
  const bossId = await userIdAtA(boss);
  const promoted = await backend('PATCH', `/v1/users/${bossId}/metadata`, { public_metadata: { role: 'admin' } });
  assert.equal(promoted.status, 200);
  await bossPage.close();

  // Sign up on A's hosted pages → B's /onboarding, signed in there.
  const ada = await person();
  let page = await ada.open();
  const signUpHops = await navigationsOf(ada, () => signUpFromB(page, email));
  assert.ok(
    signUpHops.some((url) => url.startsWith(`${aUrl}/v1/client/handshake?redirect_url=`)),
    `B's cookies came through A's handshake: ${signUpHops.join(' → ')}`,
  );
  await waitForHydration(page);
  await page.getByTestId('onboarding').waitFor();
  const adaId = await userIdAtA(ada);
  const bCookies = await ada.context.cookies(bUrl);
  assert.ok(bCookies.some((c) => c.name === '__session' && c.value), 'B has its own __session');
  assert.ok(!(await ada.context.cookies(bUrl)).some((c) => c.name === '__client'), 'A\'s client secret stays with A');
  await eventually('A\'s user.created accepted by B', () => deliveredOk('user.created', adaId));

  // Past the token lifetime with the tab closed, B's /dashboard → the handshake, no sign-in page.
  await page.close();
  await sleep((TOKEN_TTL_SECS + 1) * 1000);
  page = await ada.open();
  const dashboardHops = await navigationsOf(ada, () => page.goto(`${bUrl}/dashboard`));
  assertHandshakeWithoutSignIn(dashboardHops, 'B\'s /dashboard after the token expired');
  assert.equal(page.url(), `${bUrl}/dashboard`);
  await page.getByTestId('welcome').waitFor();
  await waitForHydration(page);

  // Still on the free plan: the premium page refuses.
  await page.goto(`${bUrl}/premium/priority-queue`);
  await page.getByTestId('access-denied').waitFor();
  await page.close();
  // The refusal is the page's own 403, which Chromium reports as a failed resource: expected here, nowhere else.
  const refusal = `403 (Forbidden) @ ${bUrl}/premium/priority-queue`;
  assert.equal(ada.errors.filter((e) => e.includes(refusal)).length, 1);
  ada.errors.splice(0, ada.errors.length, ...ada.errors.filter((e) => !e.includes(refusal)));

  // The admin (whose next token says admin) promotes Ada on B's /admin/users.
  await eventually('A\'s user.updated for the admin accepted by B', () => deliveredOk('user.updated', bossId));
  const adminPage = await boss.open();
  const adminHops = await navigationsOf(boss, () => adminPage.goto(`${bUrl}/admin/users?q=${encodeURIComponent(email)}`));
  assertHandshakeWithoutSignIn(adminHops, 'the admin\'s return to B');
  await waitForHydration(adminPage);
  const row = adminPage.getByTestId('admin-user-row').filter({ hasText: email });
  await row.getByLabel('Plan').selectOption('premium');
  await row.getByTestId('save-access').click();
  await row.getByText('Saved').waitFor();

  // A's user record changed, and A's webhook carrying it reached B.
  const atA = await backend('GET', `/v1/users/${adaId}`);
  assert.equal(atA.status, 200);
  assert.equal(atA.body.public_metadata.subscription_tier, 'premium', 'A\'s record says premium');
  const updated = await eventually('A\'s user.updated for Ada accepted by B', () =>
    delivered.find((d) => d.type === 'user.updated' && d.id === adaId
      && d.data?.public_metadata?.subscription_tier === 'premium' && d.status < 300));
  assert.equal(updated.status, 200);

  // Ada's next token (after the current one runs out) opens the premium page.
  await sleep((TOKEN_TTL_SECS + 1) * 1000);
  page = await ada.open();
  const premiumHops = await navigationsOf(ada, () => page.goto(`${bUrl}/premium/priority-queue`));
  assertHandshakeWithoutSignIn(premiumHops, 'the premium page after the promotion');
  await page.getByRole('heading', { name: 'Priority queue' }).waitFor();
  assert.equal(await page.getByTestId('access-denied').count(), 0);

  // Ada deletes her account on B → A deletes it → B's mirror is gone.
  await page.goto(`${bUrl}/profile`);
  await waitForHydration(page);
  await page.getByTestId('delete-secret').fill('DELETE');
  await page.getByTestId('delete-account').click();
  await Promise.all([
    page.waitForURL(`${bUrl}/?notice=account_deleted`),
    page.getByTestId('confirm-delete-account').click(),
  ]);
  await page.getByTestId('account-deleted-notice').waitFor();
  assert.equal((await backend('GET', `/v1/users/${adaId}`)).status, 404, 'A deleted the user');
  await eventually('A\'s user.deleted accepted by B', () => deliveredOk('user.deleted', adaId));
  await adminPage.goto(`${bUrl}/admin/users?q=${encodeURIComponent(email)}`);
  await adminPage.getByTestId('no-results').waitFor();

  assert.deepEqual(ada.errors, [], 'no console errors in Ada\'s tabs');
  assert.deepEqual(boss.errors, [], 'no console errors in the admin\'s tabs');
  await ada.context.close();
  await boss.context.close();
});
