// Restart PostgreSQL under a steady read and generate load across both servers: while it is down every answer is
// a success or 503 with Retry-After, none hangs past the request timeout; both servers recover without a restart;
// every accepted job completes exactly once.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as c from './lib.mjs';

const pg = (action) => execFileSync('pg_ctlcluster', [...process.env.T2M_FAULTS_PG_CLUSTER.split(' '), action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'inherit' });

test('PostgreSQL restarted under load: clean 503s, recovery without restart, no job lost or run twice', async () => {
  const user = await c.signUp(`pg-${Date.now()}@example.com`);
  const first = await c.generate(user.token, 'A blue square.');
  assert.equal(first.status, 202);
  const pids = c.serverPids();
  const load = c.steadyLoad(user.token, first.body.data.job_id);
  let downAt;
  let upAt;
  try {
    await c.sleep(2000);
    downAt = Date.now();
    pg('stop');
    await c.sleep(8000);
  } finally {
    pg('start');
    upAt = Date.now();
  }
  await c.until('both servers ready again', c.serversReady, 60_000);
  const recoveredAt = Date.now();
  await c.sleep(3000);
  await load.stop();

  assert.deepEqual(c.serverPids(), pids, 'the same server processes serve');
  c.assertCleanAnswers(load.seen, 30_000);
  const during = load.seen.filter((r) => r.at > downAt + 500 && r.at < upAt);
  assert.ok(during.some((r) => r.status === 503), 'the outage was seen as 503s');
  const after = load.seen.filter((r) => r.at > recoveredAt + 1000);
  assert.ok(after.length > 10, 'load ran after recovery');
  assert.ok(after.every((r) => r.status >= 200 && r.status < 300), 'every answer after recovery succeeds');
  const upstreams = new Set(load.seen.map((r) => r.headers?.get('x-t2m-upstream')).filter(Boolean));
  assert.equal(upstreams.size, 2, `both servers took load: ${[...upstreams]}`);

  // Every job the user has (accepted, or written before its 503) completes, each with exactly one video.
  for (const id of [first.body.data.job_id, ...load.accepted]) {
    const job = await c.waitJob(user.token, id, 180_000);
    assert.equal(job.status, 'completed', JSON.stringify(job));
  }
  const userId = c.psql(`SELECT user_id FROM jobs WHERE id = '${first.body.data.job_id}'`);
  await c.until('every job of the user to complete', () =>
    c.psql(`SELECT COUNT(*) FROM jobs WHERE user_id = '${userId}' AND status <> 'completed'`) === '0', 180_000);
  const jobs = Number(c.psql(`SELECT COUNT(*) FROM jobs WHERE user_id = '${userId}'`));
  assert.ok(jobs >= load.accepted.length + 1);
  assert.equal(c.psql(`SELECT COUNT(*) FROM files WHERE user_id = '${userId}' AND kind = 'video'`), String(jobs),
    'one video per job');
  assert.equal(c.psql(`SELECT COUNT(*) FROM jobs j WHERE user_id = '${userId}' AND (SELECT COUNT(*) FROM files f WHERE f.id = j.video_file_id) <> 1`), '0');
  await c.assertBucketMatchesRows();
});
