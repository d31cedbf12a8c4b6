// The built-in provider's tokens pass Clerk's own verifier, `@clerk/backend`'s `verifyToken`, both ways an
// app using Clerk configures it: a networkless PEM key (`jwtKey`) and the Backend API's JWKS (`secretKey` +
// `apiUrl`, which fetches `{apiUrl}/v1/jwks`). If the provider drifts from Clerk's token shape, this fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { verifyToken } from '@clerk/backend';
import { startServer } from './support/harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(async () => server?.stop());

/** Signs up over HTTP as a browser form would, then asks the provider for a token (and a template token). */
async function signedUpTokens(baseUrl) {
  const signUp = await fetch(`${baseUrl}/v1/client/sign_ups`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams({ email: `clerk-backend-${Date.now()}@example.com`, password: 'correct horse battery' }),
  });
  assert.equal(signUp.status, 303, `sign-up redirects (got ${signUp.status})`);
  const client = signUp.headers.getSetCookie().find((c) => c.startsWith('__client='));
  assert.ok(client, 'sign-up sets the __client cookie');
  const cookie = client.split(';')[0];
  const whoami = await (await fetch(`${baseUrl}/v1/client`, { headers: { cookie } })).json();
  const sid = whoami.session.id;
  const mint = async (suffix) => {
    const res = await fetch(`${baseUrl}/v1/client/sessions/${sid}/tokens${suffix}`, {
      method: 'POST',
      headers: { cookie, origin: baseUrl },
    });
    assert.equal(res.status, 200, `token request ${suffix || '(session)'} answers 200`);
    return (await res.json()).jwt;
  };
  return { sid, session: await mint(''), template: await mint('/t2m-api') };
}

test('@clerk/backend verifyToken accepts the built-in provider\'s session and template tokens', async () => {
  const { baseUrl } = server;
  const { sid, session, template } = await signedUpTokens(baseUrl);

  const jwks = await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json();
  const jwtKey = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
  const claims = await verifyToken(session, { jwtKey, authorizedParties: [baseUrl] });
  assert.equal(claims.sid, sid);
  assert.equal(claims.iss, baseUrl);
  assert.equal(claims.azp, baseUrl);

  // The Backend API road: Clerk fetches the JWKS with the secret key as a bearer token.
  const viaApi = await verifyToken(template, {
    secretKey: 'sk_test_t2m_local',
    apiUrl: baseUrl,
    audience: 't2m-api',
    authorizedParties: [baseUrl],
    skipJwksCache: true,
  });
  assert.equal(viaApi.aud, 't2m-api');
  assert.equal(viaApi.sub, claims.sub);
  assert.ok(Array.isArray(viaApi.permissions), 'the template carries permissions as an array');
});

test('@clerk/backend refuses a tampered token and a foreign authorized party', async () => {
  const { baseUrl } = server;
  const { session } = await signedUpTokens(baseUrl);
  const jwks = await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json();
  const jwtKey = createPublicKey({ key: jwks.keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });

  const [header, payload, signature] = session.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url'));
  claims.sub = 'user_someone_else';
  const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
  await assert.rejects(verifyToken(forged, { jwtKey }), /signature/i);
  await assert.rejects(
    verifyToken(session, { jwtKey, authorizedParties: ['https://evil.example'] }),
    /authorized party|azp/i,
  );
});
