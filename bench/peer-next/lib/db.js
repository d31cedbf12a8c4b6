// The peer's SQLite (PEER_DB): the same `jobs` rows as T2M's, copied by scripts/bench-peers. One connection
// with statements prepared once, the usual better-sqlite3 setup; reads only.
import Database from 'better-sqlite3';

// Opened on first use, so `next build` (which loads the modules) needs no database.
let statements;
function prepared() {
  if (statements) return statements;
  const db = new Database(process.env.PEER_DB, { readonly: true, fileMustExist: true });
  statements = {
    byIdAndOwner: db.prepare('SELECT * FROM jobs WHERE id = ? AND user_id = ?'),
    recent: db.prepare('SELECT * FROM jobs WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT 5'),
    counts: db.prepare(`SELECT COUNT(*) AS total,
    COUNT(*) FILTER (WHERE status = 'completed') AS completed,
    COUNT(*) FILTER (WHERE status IN ('queued', 'processing')) AS in_progress,
    COUNT(*) FILTER (WHERE status = 'failed') AS failed,
    COUNT(*) FILTER (WHERE created_at > ?) AS last_hour
  FROM jobs WHERE user_id = ?`),
  };
  return statements;
}

const iso = (ms) => (ms == null ? null : new Date(ms).toISOString());

/** A row as T2M's `JobView` (stored titles only: scripts/bench-peers gives every job one). */
export function view(row) {
  return {
    id: row.id,
    title: row.title ?? row.prompt,
    status: row.status,
    progress: Math.min(100, Math.max(0, row.progress)),
    queue_position: null,
    error: row.error,
    video_file_id: row.video_file_id,
    thumbnail_file_id: row.thumbnail_file_id,
    prompt: row.prompt,
    duration: row.duration_secs,
    quality: row.quality,
    attempts: row.attempts,
    created_at: iso(row.created_at),
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
  };
}

export const findOwned = (id, userId) => prepared().byIdAndOwner.get(id, userId);
export const recentJobs = (userId) => prepared().recent.all(userId);
export const jobCounts = (userId) => prepared().counts.get(Date.now() - 3_600_000, userId);
