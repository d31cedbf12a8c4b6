// The seed guide's token check (001, "Backend Token Validation"): @clerk/backend's verifyToken, networkless
// with the issuer's PEM public key in CLERK_JWT_KEY, the azp checked against the app's origins. No cache of
// verified tokens: the guide has none, so every request pays the RSA check.
import { verifyToken } from '@clerk/backend';

const authorizedParties = (process.env.CLERK_AUTHORIZED_PARTIES || '').split(',').filter(Boolean);

/** The verified claims, or null for a missing or bad token (the caller answers 401 or signs out). */
export async function verifiedClaims(token) {
  if (!token) return null;
  try {
    return await verifyToken(token, { jwtKey: process.env.CLERK_JWT_KEY, authorizedParties });
  } catch {
    return null;
  }
}

export function bearer(request) {
  return request.headers.get('authorization')?.replace('Bearer ', '') || null;
}
