// /dashboard, rendered on the server for every request as T2M's is: the `__session` cookie verified, then a
// welcome, the user's job counts and their five latest jobs from SQLite.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { verifiedClaims } from '../../lib/auth.js';
import { jobCounts, recentJobs, view } from '../../lib/db.js';

export const dynamic = 'force-dynamic';

export default async function Dashboard() {
  const claims = await verifiedClaims((await cookies()).get('__session')?.value);
  if (!claims) redirect('/sign-in?redirect_url=/dashboard');
  const userId = claims.user_id ?? claims.sub;
  const counts = jobCounts(userId);
  const recent = recentJobs(userId).map(view);
  return (
    <>
      <section>
        <h1 data-testid="welcome">Welcome back, {claims.name ?? claims.email}</h1>
        <p>What will you make today?</p>
        <a href="/generate">Generate a video</a> <a href="/files">Upload a file</a>
      </section>
      <p>Generations this hour: {counts.last_hour}. Active jobs: {counts.in_progress}.</p>
      <div>
        <div><b data-testid="stat-total">{counts.total}</b> Videos requested</div>
        <div><b>{counts.completed}</b> Completed</div>
        <div><b>{counts.in_progress}</b> In progress</div>
        <div><b>{counts.failed}</b> Failed</div>
      </div>
      <section>
        <h2>Recent activity</h2> <a href="/jobs">All jobs →</a>
        {recent.length === 0 ? (
          <p>Nothing yet — your videos will show up here.</p>
        ) : (
          <ul>
            {recent.map((job) => (
              <li key={job.id} data-status={job.status}>
                <span>{job.status}</span> <a href={`/jobs?status=${job.status}`} title={job.prompt}>{job.title}</a>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
