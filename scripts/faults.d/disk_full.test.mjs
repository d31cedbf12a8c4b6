// A full disk where uploads are written: 507 insufficient_storage, no partial file left, no row. Each server's
// upload directory is swapped for a 1 MiB tmpfs for the run (root and mount needed; skipped, saying so, without).
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as c from './lib.mjs';

const tmpDirs = () => c.serverUrls().map((_, i) => `${c.cluster.T2M_CLUSTER_DIR}/data/server-${i + 1}/files/tmp`);

test('an upload that fills the disk answers 507 and leaves neither file nor row', async (t) => {
  const mounted = [];
  try {
    for (const dir of tmpDirs()) {
      const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', dir]);
      if (mount.status !== 0) {
        t.skip(`cannot mount a tmpfs here: ${mount.stderr}`);
        return;
      }
      mounted.push(dir);
    }
    const user = await c.signUp(`full-${Date.now()}@example.com`);
    const userId = c.psql(`SELECT id FROM users WHERE email = '${user.email}'`);
    const video = new Uint8Array(3 * 1024 * 1024);
    video.set(new TextEncoder().encode('\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41'));
    const upstreams = new Set();
    for (let i = 0; i < 4; i++) {
      const form = new FormData();
      form.append('file', new Blob([video], { type: 'video/mp4' }), 'big.mp4');
      const res = await fetch(`${c.FRONT}/api/v1/files/upload`, {
        method: 'POST', headers: { authorization: `Bearer ${user.token}` }, body: form,
      });
      const body = await res.json();
      assert.equal(res.status, 507, JSON.stringify(body));
      assert.equal(body.code, 'insufficient_storage');
      upstreams.add(res.headers.get('x-t2m-upstream'));
    }
    assert.equal(upstreams.size, 2, 'both servers refused');
    for (const dir of mounted) assert.deepEqual(readdirSync(dir), [], `no partial file in ${dir}`);
    assert.equal(c.psql(`SELECT COUNT(*) FROM files WHERE user_id = '${userId}'`), '0', 'no row');
  } finally {
    for (const dir of mounted) spawnSync('umount', [dir]);
  }
});
