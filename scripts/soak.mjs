// The driver behind scripts/soak: a fixed request rate of mixed reads (job by id, the job list, the SSR
// dashboard, a signed-URL Range read) with a short generation every few seconds, while every cluster process's
// RSS and open descriptors are sampled. Exits 1 when the run breaks one of its three promises.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as c from './faults.d/lib.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS || 600);
const RATE = Number(process.env.SOAK_RATE || 40);
const GENERATE_EVERY_MS = Number(process.env.SOAK_GENERATE_EVERY_MS || 5000);
const SAMPLE_MS = 10_000;
const WARM_UP_MS = 60_000;
const DIR = c.cluster.T2M_CLUSTER_DIR;

function sample() {
  return Object.fromEntries(readdirSync(`${DIR}/pids`).map((name) => {
    const pid = c.pidOf(name);
    try {
      const rss = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) / 1024;
      return [name, { rss, fds: readdirSync(`/proc/${pid}/fd`).length }];
    } catch {
      return [name, { rss: NaN, fds: NaN }];
    }
  }));
}

const user = await c.signUp(`soak-${Date.now()}@example.com`);
const first = await c.generate(user.token, 'A red circle over the ocean.');
const jobId = first.body.data.job_id;
await c.waitJob(user.token, jobId);
const signed = await c.http('POST', `/api/v1/videos/${jobId}/signed-url`, { token: user.token, json: {}, headers: { origin: c.FRONT } });
// Signed URLs carry APP_URL's host; the front is the same server.
const videoPath = (signed.body.data?.url ?? signed.body.url).replace(/^https?:\/\/[^/]+/, '');
// The first page visit goes through the handshake, which sets the __session cookie pages are judged by.
const pageCookie = await c.pageCookies(user);

const reads = [
  ['job', () => c.http('GET', `/api/v1/jobs/${jobId}`, { token: user.token })],
  ['jobs', () => c.http('GET', '/api/v1/jobs?limit=20', { token: user.token })],
  ['dashboard', () => c.http('GET', '/dashboard', { headers: { cookie: pageCookie } })],
  ['range', () => c.http('GET', videoPath, { headers: { range: 'bytes=0-65535' } })],
];
const counts = {};
const failures = [];
const queued = [];
const inFlight = new Set();
const record = (kind, res) => {
  counts[kind] = counts[kind] ?? {};
  counts[kind][res.status] = (counts[kind][res.status] ?? 0) + 1;
  if (res.status === 0 || res.status >= 500) failures.push(`${kind} ${res.status} ${res.error ?? ''}`.trim());
};
const fire = (kind, call) => {
  const p = call().then((res) => record(kind, res)).finally(() => inFlight.delete(p));
  inFlight.add(p);
};

const started = Date.now();
const samples = [{ at: 0, ...sample() }];
let tick = 0;
let nextSample = SAMPLE_MS;
let nextGenerate = 0;
// Requests go out on a fixed schedule whatever the answers' latency (an open model), so a slowing server shows
// up as requests in flight rather than as a lower rate.
while (Date.now() - started < SECONDS * 1000) {
  const elapsed = Date.now() - started;
  const [kind, call] = reads[tick % reads.length];
  fire(kind, call);
  tick += 1;
  if (elapsed >= nextGenerate) {
    nextGenerate += GENERATE_EVERY_MS;
    fire('generate', async () => {
      const res = await c.generate(user.token, `A small blue square ${tick}.`);
      if (res.status === 202) queued.push(res.body.data.job_id);
      return res;
    });
  }
  if (elapsed >= nextSample) {
    nextSample += SAMPLE_MS;
    samples.push({ at: Math.round(elapsed / 1000), ...sample() });
  }
  const due = started + (tick * 1000) / RATE;
  await c.sleep(Math.max(0, due - Date.now()));
}
await Promise.all(inFlight);
samples.push({ at: Math.round((Date.now() - started) / 1000), ...sample() });

const outcomes = await Promise.all(queued.map((id) => c.waitJob(user.token, id, 600_000).catch(() => ({ status: 'timed out' }))));
const notCompleted = outcomes.filter((job) => job.status !== 'completed').length;

// Flat after warm-up: the last sample against the first one past the first minute.
const names = Object.keys(samples[0]).filter((k) => k !== 'at');
const base = samples.find((s) => s.at * 1000 >= WARM_UP_MS) ?? samples[0];
const last = samples.at(-1);
const drift = names.map((name) => {
  const rss = (last[name].rss - base[name].rss) / base[name].rss;
  const fds = last[name].fds - base[name].fds;
  const peak = Math.max(...samples.filter((s) => s.at >= base.at).map((s) => s[name].rss));
  // moto is the S3 test double: it keeps every stored object in memory, so it grows by the videos written.
  const judged = name !== 'moto';
  const flat = rss <= 0.10 && (fds <= 16 || fds / base[name].fds <= 0.10);
  return { name, base: base[name], last: last[name], peak, rss, fds, judged, flat };
});

const total = Object.values(counts).flatMap((m) => Object.values(m)).reduce((a, b) => a + b, 0);
const lines = [
  `Soak: ${SECONDS} s at ${RATE} requests/s (job, job list, SSR dashboard, 64 KiB Range read in turn) plus a 1 s 480p generation every ${GENERATE_EVERY_MS / 1000} s; ${total} answers.`,
  '',
  '| process | after warm-up (RSS, fds) | end (RSS, fds) | peak RSS after warm-up | RSS change | flat |',
  '|---|---|---|---|---|---|',
  ...drift.map((d) => `| ${d.name} | ${d.base.rss.toFixed(1)} MB, ${d.base.fds} | ${d.last.rss.toFixed(1)} MB, ${d.last.fds} | ${d.peak.toFixed(1)} MB | ${(d.rss * 100).toFixed(1)} % | ${d.judged ? (d.flat ? 'yes' : 'NO') : 'not judged (holds the stored videos)'} |`),
  '',
  `Answers by kind and status: ${JSON.stringify(counts)}`,
  `5xx or dropped: ${failures.length}; jobs queued during the run: ${queued.length}, not completed: ${notCompleted}`,
  '',
  'Samples (s: RSS MB / fds per process):',
  ...samples.map((s) => `- ${s.at}: ${names.map((n) => `${n} ${s[n].rss.toFixed(0)}/${s[n].fds}`).join(', ')}`),
];
writeFileSync(`${DIR}/soak.md`, `${lines.join('\n')}\n`);
console.log(lines.join('\n'));
const broken = [
  ...drift.filter((d) => d.judged && !d.flat).map((d) => `${d.name} grew: RSS ${(d.rss * 100).toFixed(1)} %, fds +${d.fds}`),
  ...(failures.length ? [`${failures.length} answers were 5xx or dropped, first: ${failures.slice(0, 5).join('; ')}`] : []),
  ...(notCompleted ? [`${notCompleted} of ${queued.length} jobs did not complete`] : []),
];
if (broken.length) {
  console.error(`soak failed:\n${broken.join('\n')}`);
  process.exit(1);
}
