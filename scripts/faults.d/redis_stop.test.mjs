// Stop Redis under load: limited actions answer 503 (fail closed, never unlimited), /readyz names Redis, reads go
// on; everything recovers when it returns. And limits are shared exactly: a limit of N admits N in total,
// whichever server answers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as c from './lib.mjs';

const port = process.env.T2M_CLUSTER_REDIS_PORT;
const stopRedis = () => spawnSync('redis-cli', ['-p', port, 'shutdown', 'nosave']);
const startRedis = () => execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port,
  '--save', '', '--appendonly', 'no', '--dir', '/tmp', '--logfile', '/tmp/t2m-faults-redis.log']);

const signIn = (email, password) => c.http('POST', '/v1/client/sign_ins', {
  form: new URLSearchParams({ email, password }), headers: { origin: c.FRONT },
});

test('a limit of 10 sign-in attempts admits 10 in total across both servers', async () => {
  // The sign-up was the account's first attempt; 16 wrong passwords at once race for the 9 left.
  const email = `shared-${Date.now()}@example.com`;
  await c.signUp(email);
  const answers = await Promise.all(Array.from({ length: 16 }, () => signIn(email, 'wrong password entirely')));
  const statuses = answers.map((a) => a.status).sort();
  assert.equal(statuses.filter((s) => s === 303).length, 9, `statuses: ${statuses}`);
  assert.equal(statuses.filter((s) => s === 429).length, 7, `statuses: ${statuses}`);
  const upstreams = new Set(answers.map((a) => a.headers.get('x-t2m-upstream')));
  assert.equal(upstreams.size, 2, 'both servers counted attempts');
});

test('Redis stopped under load: limited actions 503, readiness says redis, recovery when it returns', async () => {
  const user = await c.signUp(`redis-${Date.now()}@example.com`);
  const first = await c.generate(user.token, 'A green triangle.');
  assert.equal(first.status, 202);
  const load = c.steadyLoad(user.token, first.body.data.job_id, { readers: 4, generateEveryMs: 300 });
  let downAt;
  let upAt;
  try {
    await c.sleep(1500);
    downAt = Date.now();
    stopRedis();
    await c.sleep(1500);
    for (const url of c.serverUrls()) {
      const ready = await c.http('GET', `${url}/readyz`);
      assert.equal(ready.status, 503, url);
      assert.deepEqual(ready.body.failing, ['redis'], url);
      assert.equal((await c.http('GET', `${url}/api/system/health`)).status, 503, url);
    }
    const limited = await c.generate(user.token, 'Refused while Redis is away.');
    assert.equal(limited.status, 503);
    assert.equal(limited.body.code, 'unavailable');
    assert.ok(limited.headers.get('retry-after'), 'Retry-After on the 503');
    await c.sleep(2000);
  } finally {
    startRedis();
    upAt = Date.now();
  }
  await c.until('both servers ready again', c.serversReady, 30_000);
  const recoveredAt = Date.now();
  await c.sleep(2000);
  await load.stop();

  c.assertCleanAnswers(load.seen, 30_000);
  const during = load.seen.filter((r) => r.at > downAt + 500 && r.at < upAt);
  assert.ok(during.filter((r) => r.kind === 'generate').every((r) => r.status === 503), 'no generation passed unlimited');
  assert.ok(during.filter((r) => r.kind === 'read').every((r) => r.status === 200), 'reads need no Redis');
  const after = load.seen.filter((r) => r.at > recoveredAt + 500);
  assert.ok(after.some((r) => r.kind === 'generate' && r.status === 202), 'generation works again');
  assert.ok(after.every((r) => r.status >= 200 && r.status < 300));
  // The sign-in throttle's own Redis connection recovers too, on both servers: no first call after the
  // restart is lost to the dead connection.
  const signUps = await Promise.all([1, 2, 3, 4].map((i) => c.http('POST', '/v1/client/sign_ups', {
    form: new URLSearchParams({ email: `after-${i}-${Date.now()}@example.com`, password: 'correct horse battery staple' }),
    headers: { origin: c.FRONT },
  })));
  assert.deepEqual(signUps.map((r) => r.status), [303, 303, 303, 303]);
  assert.equal(new Set(signUps.map((r) => r.headers.get('x-t2m-upstream'))).size, 2);
});
