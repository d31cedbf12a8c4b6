// The driver behind scripts/load: sets up a user with a job, a stored video and a page session, then measures
// each workload through the cluster's nginx front with wrk, and generate + poll with fetch.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as c from './faults.d/lib.mjs';

const SECONDS = process.env.LOAD_SECONDS || '10';
const CONNECTIONS = (process.env.LOAD_CONNECTIONS || '1 100 1000').split(' ').map(Number);
const DIR = c.cluster.T2M_CLUSTER_DIR;

function rss() {
  return Object.fromEntries(readdirSync(`${DIR}/pids`).map((name) => {
    try {
      const status = readFileSync(`/proc/${c.pidOf(name)}/status`, 'utf8');
      return [name, Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024];
    } catch { return [name, NaN]; }
  }));
}

// wrk's --latency report: p50, p99, requests/s, and any non-2xx/3xx answers.
function wrk(url, connections, headers) {
  const args = ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${SECONDS}s`, '--latency', '--timeout', '30s'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  const out = execFileSync('wrk', [...args, url], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const pct = (p) => out.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
  const ms = (m) => (m ? Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2]] : NaN);
  const non2xx = Number(out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0);
  const errors = out.match(/Socket errors: (.*)/)?.[1] ?? 'none';
  return { p50: ms(pct(50)), p99: ms(pct(99)), rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), non2xx, errors };
}

const user = await c.signUp(`load-${Date.now()}@example.com`);
const queued = await c.generate(user.token, 'A red circle over the ocean.');
const jobId = queued.body.data.job_id;
await c.waitJob(user.token, jobId);
const signed = await c.http('POST', `/api/v1/videos/${jobId}/signed-url`, { token: user.token, json: {}, headers: { origin: c.FRONT } });
const videoUrl = c.FRONT + (signed.body.data?.url ?? signed.body.url).replace(/^https?:\/\/[^/]+/, '');
// The first page visit goes through the handshake, which sets the __session cookie pages are judged by.
const pageCookie = await c.pageCookies(user);

const rows = [];
const before = rss();
const workloads = [
  ['GET /api/v1/jobs/{id} (bearer token)', `${c.FRONT}/api/v1/jobs/${jobId}`, { authorization: `Bearer ${user.token}` }],
  ['SSR /dashboard (session cookie)', `${c.FRONT}/dashboard`, { cookie: pageCookie }],
  ['signed-URL Range read, 64 KiB', videoUrl, { range: 'bytes=0-65535' }],
];
for (const [what, url, headers] of workloads) {
  for (const n of CONNECTIONS) {
    const r = wrk(url, n, headers);
    rows.push(`| ${what} | ${n} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${Math.round(r.rps).toLocaleString('en')} /s | ${r.non2xx} non-2xx; socket errors: ${r.errors} |`);
    console.error(rows.at(-1));
  }
}

// Generate + poll to completion: `n` users' worth of 1 s 480p jobs at once, each polled every 100 ms.
for (const n of CONNECTIONS.filter((x) => x <= 100)) {
  const started = Date.now();
  const times = await Promise.all(Array.from({ length: n }, async () => {
    const t0 = Date.now();
    const res = await c.generate(user.token, 'A small blue square.');
    if (res.status !== 202) return NaN;
    const job = await c.waitJob(user.token, res.body.data.job_id, 600_000);
    return job.status === 'completed' ? Date.now() - t0 : NaN;
  }));
  const ok = times.filter(Number.isFinite).sort((a, b) => a - b);
  const at = (p) => ok[Math.min(ok.length - 1, Math.floor((p / 100) * ok.length))];
  rows.push(`| generate + poll to completion (1 s, 480p) | ${n} | ${at(50)} ms | ${at(99)} ms | ${(ok.length / ((Date.now() - started) / 1000)).toFixed(1)} jobs/s | ${n - ok.length} not completed |`);
  console.error(rows.at(-1));
}
const after = rss();

const table = [
  '| workload (through nginx, 2 servers, 2 workers) | connections | p50 | p99 | throughput | errors |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  '| process | RSS before | RSS after |',
  '|---|---|---|',
  ...Object.keys(before).map((name) => `| ${name} | ${before[name].toFixed(0)} MB | ${after[name].toFixed(0)} MB |`),
].join('\n');
writeFileSync(`${DIR}/load.md`, `${table}\n`);
console.log(table);
