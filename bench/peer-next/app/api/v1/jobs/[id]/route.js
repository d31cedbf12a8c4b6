// GET /api/v1/jobs/{id}: the owner's job as T2M answers it, `{success, data}`; 401 without a good token and
// 404 for anyone else's job, as T2M does.
import { NextResponse } from 'next/server';
import { bearer, verifiedClaims } from '../../../../../lib/auth.js';
import { findOwned, view } from '../../../../../lib/db.js';

export async function GET(request, { params }) {
  const claims = await verifiedClaims(bearer(request));
  if (!claims) {
    return NextResponse.json({ success: false, error: { code: 'unauthorized' } }, { status: 401 });
  }
  const { id } = await params;
  const row = findOwned(id, claims.user_id ?? claims.sub);
  if (!row) {
    return NextResponse.json({ success: false, error: { code: 'not_found' } }, { status: 404 });
  }
  return NextResponse.json({ success: true, data: view(row) });
}
