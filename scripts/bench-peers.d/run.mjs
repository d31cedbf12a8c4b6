// The driver behind scripts/bench-peers. Users, tokens and jobs all come from T2M's built-in provider and API;
// the peer gets a copy of T2M's job rows and verifies with the provider's public key, so both servers answer
// the same requests about the same data.
import { execFileSync, spawn } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('../..', import.meta.url).pathname;
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const USERS = Number(process.env.BENCH_USERS || 1000);
// T2M remembers 10,000 verified tokens; a pool of 24,000 sent round robin (twice the cache and more: wrk's two
// threads do not keep the same pace) repeats no token while it is remembered, so each request pays the RSA check.
const ROUNDS = Number(process.env.BENCH_TOKEN_ROUNDS || 24);
const CONNECTIONS = 100;
const WORK = mkdtempSync(`${tmpdir()}/bench-peers-`);
const children = [];

function stopAll() {
  for (const child of children) if (child.exitCode === null) { child.stopping = true; child.kill('SIGTERM'); }
}
process.on('exit', () => { stopAll(); rmSync(WORK, { recursive: true, force: true }); });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

const freePort = () => Number(execFileSync('python3', ['-c',
  'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'], { encoding: 'utf8' }));

async function start(cmd, args, env, readyUrl) {
  const child = spawn(cmd, args, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  child.on('exit', (code, signal) => { if (!child.stopping) console.error(`${cmd} exited: ${code ?? signal}`); });
  for (let i = 0; i < 600; i += 1) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}`);
    if (await fetch(readyUrl).then((r) => r.status < 500, () => false)) return child;
    await sleep(100);
  }
  throw new Error(`${cmd} did not answer ${readyUrl}`);
}

// --- T2M, with the throttles that guard sign-up lifted: the bench signs up a thousand users from one address.
const t2mPort = freePort();
const T2M = `http://127.0.0.1:${t2mPort}`;
const t2mData = `${WORK}/t2m`;
const t2mEnv = {
  LEPTOS_SITE_ADDR: `127.0.0.1:${t2mPort}`, LEPTOS_SITE_ROOT: process.env.LEPTOS_SITE_ROOT, T2M_DATA_DIR: t2mData,
  RUST_LOG: 'warn', T2M_WORKERS: '0', T2M_SESSION_TOKEN_TTL_SECS: '3600', RATE_LIMIT_PER_HOUR: '1000000',
  T2M_SIGN_IN_IP_LIMIT: '1000000', T2M_SIGN_IN_ACCOUNT_LIMIT: '1000000',
};
let t2m = await start(process.env.T2M_BIN, [], t2mEnv, `${T2M}/api/system/health`);

const origin = { origin: T2M };
async function json(method, path, { token, cookie, body } = {}) {
  const headers = { ...origin };
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookie) headers.cookie = cookie;
  if (body) headers['content-type'] = 'application/json';
  const res = await fetch(T2M + path, { method, headers, body: body && JSON.stringify(body) });
  const parsed = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Sign-up (Argon2, so retried while every hashing slot is busy), one job, its title, and a page session. */
async function makeUser(n) {
  const email = `peer-bench-${n}@example.com`;
  let res;
  for (;;) {
    res = await fetch(`${T2M}/v1/client/sign_ups`, { method: 'POST', headers: origin, redirect: 'manual',
      body: new URLSearchParams({ email, password: 'correct horse battery staple' }) });
    if (res.status !== 503) break;
    await sleep(20);
  }
  if (res.status !== 303) throw new Error(`sign-up ${email}: ${res.status}`);
  const jar = new Map(res.headers.getSetCookie().map((c) => c.split(';')[0]).map((kv) => [kv.split('=')[0], kv]));
  const cookie = () => [...jar.values()].join('; ');
  const sid = (await json('GET', '/v1/client', { cookie: cookie() })).session.id;
  const mint = async () => (await json('POST', `/v1/client/sessions/${sid}/tokens/t2m-api`, { cookie: cookie() })).jwt;
  const token = await mint();
  const jobId = (await json('POST', '/api/v1/videos/generate', { token,
    body: { prompt: `A red circle over the ocean, number ${n}.`, duration: 1, quality: '480p' } })).data.job_id;
  // No workers run: the job is canceled so it rests in a final state, as most of a user's jobs do.
  await json('POST', `/api/v1/jobs/${jobId}/cancel`, { token });
  await json('PATCH', `/api/v1/jobs/${jobId}`, { token, body: { title: `Ocean ${n}` } });
  // The first page load goes through the handshake, which sets the __session cookie pages are judged by.
  let url = `${T2M}/dashboard`;
  for (let hop = 0; hop < 6; hop += 1) {
    const page = await fetch(url, { headers: { cookie: cookie() }, redirect: 'manual' });
    for (const set of page.headers.getSetCookie()) jar.set(set.split('=')[0], set.split(';')[0]);
    if (page.status === 200) break;
    url = new URL(page.headers.get('location'), url).href;
  }
  return { jobId, tokens: [token], mint, session: jar.get('__session'), cookie: cookie() };
}

const started = Date.now();
const users = [];
const lanes = availableParallelism();
await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
  for (let n = lane; n < USERS; n += lanes) users.push(await makeUser(n));
}));
// Tokens carry `iat` in seconds and no nonce: one new token per user per second.
for (let round = 1; round < ROUNDS; round += 1) {
  await sleep(1000 - (Date.now() % 1000) + 5);
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let i = lane; i < users.length; i += lanes) users[i].tokens.push(await users[i].mint());
  }));
}
const distinct = new Set(users.flatMap((u) => u.tokens)).size;
console.error(`${users.length} users, ${distinct} distinct tokens in ${((Date.now() - started) / 1000).toFixed(0)} s`);

// The sign-ups' Argon2 buffers (19 MiB each) stay in glibc's per-thread arenas; that is the setup's cost, not
// the workload's, so T2M is restarted on the same data (the tokens stay valid) and both servers start fresh.
const t2mAfterSignUps = treeRss(t2m.pid);
t2m.stopping = true;
t2m.kill('SIGTERM');
await new Promise((resolve) => { t2m.on('exit', resolve); });
t2m = await start(process.env.T2M_BIN, [], t2mEnv, `${T2M}/api/system/health`);

// --- The peer: T2M's job rows copied, the provider's key as PEM.
const peerDb = `${WORK}/peer.db`;
execFileSync('sqlite3', [peerDb, `ATTACH '${t2mData}/t2m.db' AS t2m; CREATE TABLE jobs AS SELECT * FROM t2m.jobs;
  CREATE UNIQUE INDEX jobs_id ON jobs (id); CREATE INDEX jobs_user_created ON jobs (user_id, created_at DESC);`]);
const jwks = await (await fetch(`${T2M}/.well-known/jwks.json`)).json();
const pem = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
process.chdir(`${ROOT}bench/peer-next`); // next start serves the app in its working directory
const peerPort = freePort();
const PEER = `http://127.0.0.1:${peerPort}`;
const peer = await start(`${ROOT}bench/peer-next/node_modules/.bin/next`, ['start', '-H', '127.0.0.1', '-p', String(peerPort)], {
  NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PEER_DB: peerDb, CLERK_JWT_KEY: pem,
  CLERK_AUTHORIZED_PARTIES: T2M,
}, `${PEER}/api/v1/jobs/none`);

// --- Pools: "path<TAB>header value" lines for rotate.lua.
// Round-major order: a user's next token comes a whole round of other users later.
const freshPool = [];
for (let r = 0; r < ROUNDS; r += 1) for (const u of users) if (u.tokens[r]) freshPool.push(`/api/v1/jobs/${u.jobId}\tBearer ${u.tokens[r]}`);
writeFileSync(`${WORK}/fresh.txt`, `${freshPool.join('\n')}\n`);
writeFileSync(`${WORK}/reused.txt`, `${users.map((u) => `/api/v1/jobs/${u.jobId}\tBearer ${u.tokens[0]}`).join('\n')}\n`);
writeFileSync(`${WORK}/pages.txt`, `${users.map((u) => `/dashboard\t${u.cookie}`).join('\n')}\n`);

// Both servers must really serve the pools (200 and the right job or page), or the figures mean nothing.
for (const base of [T2M, PEER]) {
  for (const u of [users[0], users[users.length - 1]]) {
    const api = await fetch(`${base}/api/v1/jobs/${u.jobId}`, { headers: { authorization: `Bearer ${u.tokens.at(-1)}` } });
    const page = await fetch(`${base}/dashboard`, { headers: { cookie: u.cookie }, redirect: 'manual' });
    const body = await page.text();
    if (api.status !== 200 || (await api.json()).data.id !== u.jobId || page.status !== 200 || !body.includes('Welcome back')) {
      throw new Error(`${base} does not serve the pools: API ${api.status}, page ${page.status}`);
    }
  }
}

/** RSS in MB of a process and every descendant (next start forks its server). */
function treeRss(pid) {
  const kids = new Map();
  for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const ppid = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(p)]);
    } catch { /* gone */ }
  }
  let kb = 0;
  for (const stack = [pid]; stack.length;) {
    const p = stack.pop();
    try { kb += Number(readFileSync(`/proc/${p}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]); } catch { /* gone */ }
    stack.push(...(kids.get(p) ?? []));
  }
  return kb / 1024;
}

function tokenMetrics() {
  return fetch(`${T2M}/metrics`).then((r) => r.text()).then((text) => {
    const sum = (cache) => text.split('\n').filter((l) => l.startsWith('t2m_token_verifications_total') && l.includes(`cache="${cache}"`))
      .reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
    return { hit: sum('hit'), miss: sum('miss') };
  });
}

/** wrk at 100 connections over a pool; p50/p99 in ms, requests/s, non-2xx and peak RSS meanwhile. */
async function wrk(base, pid, pool, header) {
  const threads = 2;
  const args = ['-t', String(threads), '-c', String(CONNECTIONS), '-d', `${SECONDS}s`, '--latency', '--timeout', '10s',
    '-s', `${ROOT}scripts/bench-peers.d/rotate.lua`, base, '--', `${WORK}/${pool}`, header, String(threads)];
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, treeRss(pid)); }, 200);
  const out = await new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d) => { text += d; });
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}`))));
  });
  clearInterval(sampler);
  const pct = (p) => out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
  const ms = (m) => (m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN);
  return {
    p50: ms(pct(50)), p99: ms(pct(99)), rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]),
    bad: Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    errors: out.match(/Socket errors: (.*)/)?.[1] ?? 'none', peak,
  };
}

const idle = { t2m: treeRss(t2m.pid), peer: treeRss(peer.pid) };
const workloads = [
  ['GET /api/v1/jobs/{id}, a different token every request', 'fresh.txt', 'Authorization', `${freshPool.length.toLocaleString('en')} tokens of ${users.length.toLocaleString('en')} users`],
  ['GET /api/v1/jobs/{id}, one token per user reused', 'reused.txt', 'Authorization', `${users.length.toLocaleString('en')} tokens`],
  ['SSR /dashboard, session cookie', 'pages.txt', 'Cookie', `${users.length.toLocaleString('en')} sessions`],
];
const rows = [];
const resultsA = [];
const fmt = (r) => `${r.p50.toFixed(2)} / ${r.p99.toFixed(2)} ms, ${Math.round(r.rps).toLocaleString('en')} /s, ${r.bad} non-2xx${r.errors === 'none' ? '' : `, socket errors ${r.errors}`}`;
let peakT2m = 0;
let peakPeer = 0;
for (const [what, pool, header, note] of workloads) {
  // A short warm-up of each server on the same pool: JIT, prepared statements, connection pools.
  await wrk(T2M, t2m.pid, pool, header).catch(() => null);
  const before = await tokenMetrics();
  const a = await wrk(T2M, t2m.pid, pool, header);
  const after = await tokenMetrics();
  await wrk(PEER, peer.pid, pool, header).catch(() => null);
  const b = await wrk(PEER, peer.pid, pool, header);
  resultsA.push(a);
  peakT2m = Math.max(peakT2m, a.peak);
  peakPeer = Math.max(peakPeer, b.peak);
  const cache = `T2M cache: ${(after.miss - before.miss).toLocaleString('en')} misses, ${(after.hit - before.hit).toLocaleString('en')} hits`;
  rows.push(`| ${what} (${note}; ${cache}) | ${fmt(a)} | ${fmt(b)} | ${(a.rps / b.rps).toFixed(1)}× |`);
  console.error(rows.at(-1));
}

// T2M_BIN_B: a second T2M build (the commit before a change, say) measured in the same run, on the same port and
// data after the peer, so a change is judged against the peer-to-peer spread of one run rather than across runs.
const rowsB = [];
if (process.env.T2M_BIN_B) {
  t2m.stopping = true;
  t2m.kill('SIGTERM');
  await new Promise((resolve) => { t2m.on('exit', resolve); });
  t2m = await start(process.env.T2M_BIN_B, [], t2mEnv, `${T2M}/api/system/health`);
  for (const [index, [what, pool, header]] of workloads.entries()) {
    await wrk(T2M, t2m.pid, pool, header).catch(() => null);
    const b = await wrk(T2M, t2m.pid, pool, header);
    rowsB.push(`| ${what}: T2M_BIN_B | ${fmt(b)} | T2M_BIN ÷ T2M_BIN_B: ${(resultsA[index].rps / b.rps).toFixed(2)} |`);
    console.error(rowsB.at(-1));
  }
}

const versions = JSON.parse(readFileSync(`${ROOT}bench/peer-next/package-lock.json`, 'utf8')).packages;
const v = (name) => versions[`node_modules/${name}`].version;
console.log([
  `${CONNECTIONS} connections, ${SECONDS} s each (after a ${SECONDS} s warm-up), wrk and both servers on the same ${availableParallelism()} cores; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  `T2M: ${process.env.T2M_BIN}; peer: Next.js ${v('next')}, @clerk/backend ${v('@clerk/backend')}, better-sqlite3 ${v('better-sqlite3')}, Node ${process.version}`,
  '',
  '| workload | T2M p50 / p99, throughput | peer p50 / p99, throughput | T2M ÷ peer |',
  '|---|---|---|---|',
  ...rows,
  ...(rowsB.length ? ['', `T2M_BIN_B: ${process.env.T2M_BIN_B}, after the peer on the same port and data`, '', '| workload | p50 / p99, throughput | ratio |', '|---|---|---|', ...rowsB, ''] : []),
  `| T2M RSS after the ${users.length.toLocaleString('en')} sign-ups of the setup (before its restart) | ${t2mAfterSignUps.toFixed(0)} MB | | |`,
  `| RSS idle (fresh start, pools checked) | ${idle.t2m.toFixed(0)} MB | ${idle.peer.toFixed(0)} MB | peer ÷ T2M: ${(idle.peer / idle.t2m).toFixed(2)} |`,
  `| RSS peak under load | ${peakT2m.toFixed(0)} MB | ${peakPeer.toFixed(0)} MB | peer ÷ T2M: ${(peakPeer / peakT2m).toFixed(2)} |`,
].join('\n'));
process.exit(0);
