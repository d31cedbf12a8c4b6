// What every fault run shares: the running cluster's settings, users signed up through the nginx front, plain
// HTTP with a deadline, the database and bucket as they really are, and the processes by name.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const DIR = process.env.T2M_CLUSTER_DIR || '/tmp/t2m-cluster';
export const ROOT = new URL('../..', import.meta.url).pathname;

export const cluster = Object.fromEntries(
  readFileSync(`${DIR}/cluster.env`, 'utf8')
    .split('\n')
    .filter((line) => line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
export const FRONT = cluster.T2M_CLUSTER_FRONT;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request with a deadline; resolves to {status, headers, body, ms}, or {status: 0, error} when none came. */
export async function http(method, url, { token, json, form, headers = {}, timeoutMs = 40_000 } = {}) {
  const started = Date.now();
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    h['content-type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  try {
    const res = await fetch(url.startsWith('http') ? url : FRONT + url, {
      method, headers: h, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, body: parsed, ms: Date.now() - started };
  } catch (error) {
    return { status: 0, error: String(error), ms: Date.now() - started };
  }
}

/** A new user signed up through the front with the built-in provider; returns an API token for them. */
export async function signUp(email, password = 'correct horse battery staple') {
  const origin = { origin: FRONT };
  const form = new URLSearchParams({ email, password });
  const res = await fetch(`${FRONT}/v1/client/sign_ups`, { method: 'POST', headers: origin, body: form, redirect: 'manual' });
  assert.equal(res.status, 303, `${email} signs up`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const client = await (await fetch(`${FRONT}/v1/client`, { headers: { cookie } })).json();
  const sid = client.session.id;
  const minted = await (await fetch(`${FRONT}/v1/client/sessions/${sid}/tokens/t2m-api`, {
    method: 'POST', headers: { ...origin, cookie },
  })).json();
  assert.ok(minted.jwt, 'a token is minted');
  return { email, token: minted.jwt, cookie, sid };
}

/**
 * The cookies a browser holds on `path` once signed in: sign-up leaves `__session` empty, so the first page
 * load goes through the handshake (/v1/client/handshake and back with `__clerk_handshake`), which sets it.
 * Redirects are followed by hand so each hop's cookies are kept; throws unless the page ends in a 200.
 */
export async function pageCookies(user, path = '/dashboard') {
  const jar = new Map(user.cookie.split('; ').map((kv) => [kv.split('=')[0], kv]));
  let url = `${FRONT}${path}`;
  for (let hop = 0; hop < 6; hop += 1) {
    const cookie = [...jar.values()].join('; ');
    const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
    for (const set of res.headers.getSetCookie()) {
      const kv = set.split(';')[0];
      jar.set(kv.split('=')[0], kv);
    }
    if (res.status === 200) return [...jar.values()].join('; ');
    const next = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !next) break;
    url = new URL(next, url).href;
  }
  throw new Error(`${path} did not open for ${user.email}`);
}

export function psql(sql) {
  return execFileSync('psql', ['-Atq', cluster.DATABASE_URL, '-c', sql], { encoding: 'utf8' }).trim();
}

/** Every key in the cluster's bucket. */
export async function bucketKeys() {
  const listing = await (await fetch(`${cluster.T2M_CLUSTER_MOTO}/${cluster.T2M_CLUSTER_BUCKET}?list-type=2&max-keys=1000`)).text();
  return [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]).sort();
}

/** Bytes and rows agree: every stored object has a row and every row its object. */
export async function assertBucketMatchesRows() {
  const keys = await bucketKeys();
  // Objects live under objects/<first two characters>/<key>, as on local disk.
  const rows = psql('SELECT storage_key FROM files').split('\n').filter(Boolean)
    .map((key) => `objects/${key.slice(0, 2)}/${key}`).sort();
  const orphanBytes = keys.filter((k) => !rows.includes(k));
  const rowsWithoutBytes = rows.filter((k) => !keys.includes(k));
  assert.deepEqual({ orphanBytes, rowsWithoutBytes }, { orphanBytes: [], rowsWithoutBytes: [] },
    `objects in the bucket = storage keys of file rows (${keys.length} objects, ${rows.length} rows)`);
}

export const pidOf = (name) => Number(readFileSync(`${DIR}/pids/${name}`, 'utf8').trim());
export const logOf = (name) => readFileSync(`${DIR}/logs/${name}.log`, 'utf8');

export function clusterCmd(...args) {
  execFileSync(`${ROOT}scripts/cluster`, args, { stdio: 'inherit', env: { ...process.env, T2M_CLUSTER_DIR: DIR } });
}

export function serverUrls() {
  const front = Number(new URL(FRONT).port);
  return Array.from({ length: Number(cluster.T2M_CLUSTER_SERVERS) }, (_, i) => `http://127.0.0.1:${front + i + 1}`);
}

/** Waits until `check` resolves truthy, polling every 200 ms; fails with `what` after `ms`. */
export async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(200);
  }
}

export async function generate(token, prompt, extra = {}) {
  return http('POST', '/api/v1/videos/generate', { token, json: { prompt, duration: 1, quality: '480p', ...extra } });
}

export async function waitJob(token, id, ms = 120_000) {
  return until(`job ${id} to finish`, async () => {
    const res = await http('GET', `/api/v1/jobs/${id}`, { token });
    const status = res.body?.data?.status;
    return ['completed', 'failed', 'canceled'].includes(status) ? res.body.data : null;
  }, ms);
}

/**
 * Steady load through the front until `stop()`: `readers` loops reading a job, and one loop queuing a short job
 * every `generateEveryMs`. Every answer is kept with its time, so a run can say what users saw in each phase.
 */
export function steadyLoad(token, jobId, { readers = 6, generateEveryMs = 400 } = {}) {
  const seen = [];
  const accepted = [];
  let running = true;
  const record = (kind, res) => seen.push({ kind, at: Date.now(), ...res, retryAfter: res.headers?.get('retry-after') });
  const reader = async () => {
    while (running) {
      record('read', await http('GET', `/api/v1/jobs/${jobId}`, { token }));
      await sleep(50);
    }
  };
  const generator = async () => {
    while (running) {
      const res = await generate(token, 'A small red circle.');
      record('generate', res);
      if (res.status === 202) accepted.push(res.body.data.job_id);
      await sleep(generateEveryMs);
    }
  };
  const loops = [...Array.from({ length: readers }, reader), generator()];
  return {
    seen,
    accepted,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** Every answer was a success or a clean 503 with Retry-After, and none took longer than `maxMs`. */
export function assertCleanAnswers(seen, maxMs) {
  const bad = seen.filter((r) => !(r.status >= 200 && r.status < 300) && !(r.status === 503 && r.retryAfter));
  assert.deepEqual(bad.map((r) => `${r.kind} ${r.status} ${r.error ?? JSON.stringify(r.body)}`.slice(0, 200)), [],
    'only successes and 503 + Retry-After');
  const slowest = Math.max(...seen.map((r) => r.ms));
  assert.ok(slowest < maxMs, `slowest answer ${slowest} ms (limit ${maxMs} ms)`);
}

export async function serversReady() {
  const answers = await Promise.all(serverUrls().map((u) => http('GET', `${u}/readyz`, { timeoutMs: 5000 })));
  return answers.every((a) => a.status === 200) ? answers : null;
}

export const serverPids = () => serverUrls().map((_, i) => pidOf(`server-${i + 1}`));
