// kill -9 a worker mid-render: the job finishes on the other worker, with exactly one video file and one row and
// no object in the bucket without its row.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as c from './lib.mjs';

const workerOwning = (owner) => ['worker-1', 'worker-2'].find((w) => c.logOf(w).includes(`worker=${owner}`));

test('a job whose worker is killed mid-render finishes once on the other worker', async () => {
  const user = await c.signUp(`kill-${Date.now()}@example.com`);
  const res = await c.generate(user.token, 'A long slow sunset over the ocean. Stars rise.', { duration: Number(process.env.T2M_FAULTS_KILL_SECS || 30), quality: process.env.T2M_FAULTS_KILL_QUALITY || '720p' });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const id = res.body.data.job_id;
  const q = (sql) => c.psql(sql.replaceAll('$ID', `'${id}'`));

  const owner = await c.until('the job to be rendering', () => {
    const [status, progress, lease] = q('SELECT status, progress, lease_owner FROM jobs WHERE id = $ID').split('|');
    return status === 'processing' && Number(progress) > 0 && lease ? lease : null;
  });
  const victim = workerOwning(owner);
  assert.ok(victim, `the lease owner ${owner} is one of the cluster's workers`);
  process.kill(c.pidOf(victim), 'SIGKILL');

  const rescuer = await c.until('another worker to take the job over', () => {
    const lease = q('SELECT lease_owner FROM jobs WHERE id = $ID');
    return lease && lease !== owner ? lease : null;
  }, 60_000);
  const survivor = workerOwning(rescuer);
  assert.ok(survivor && survivor !== victim, `${rescuer} is the other worker`);

  const job = await c.waitJob(user.token, id, 180_000);
  assert.equal(job.status, 'completed', JSON.stringify(job));
  assert.equal(q('SELECT attempts FROM jobs WHERE id = $ID'), '2', 'the crash cost one attempt');
  const userId = q(`SELECT user_id FROM jobs WHERE id = $ID`);
  assert.equal(q(`SELECT COUNT(*) FROM files WHERE user_id = '${userId}' AND kind = 'video'`), '1', 'one video row');
  assert.equal(q(`SELECT COUNT(*) FROM files f JOIN jobs j ON f.id = j.video_file_id WHERE j.id = $ID`), '1');
  await c.assertBucketMatchesRows();

  // The video plays through the front: a signed URL answers the bytes with a Range.
  const signed = await c.http('POST', `/api/v1/videos/${id}/signed-url`, { token: user.token, json: {}, headers: { origin: c.FRONT } });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  const url = signed.body.data?.url ?? signed.body.url;
  const range = await fetch(url.replace(/^https?:\/\/[^/]+/, c.FRONT), { headers: { range: 'bytes=0-99' } });
  assert.equal(range.status, 206);
  assert.equal((await range.arrayBuffer()).byteLength, 100);

  c.clusterCmd('restart', victim);
});
