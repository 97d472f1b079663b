/** DPoP (RFC 9449) flows as a browser's HAR, with proofs signed by real keys (node:crypto): for dpop.test.ts and the schema test. */
import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import { buildReport } from '../../src/core/analysis/index.js';
import { accessTokenHash, jwkThumbprint } from '../../src/core/dpop.js';
import { createHarStreamReader, matchBearerUses } from '../../src/core/har-stream/index.js';
import { readHar } from '../../src/core/har.js';
import { signInStepsFromHar } from '../../src/core/sign-in/har.js';
import type { Report } from '../../src/core/types.js';
import { jwt } from './helpers.js';

export const AS = 'https://as.example.com';
export const API = 'https://api.example.com';
export const APP = 'https://app.example.com';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'; // RFC 7636 appendix B
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export interface Key {
  privateKey: KeyObject;
  jwk: Record<string, string>;
  alg: 'ES256' | 'EdDSA';
}

export function newKey(type: 'ec' | 'ed25519' = 'ec'): Key {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return {
    privateKey: pair.privateKey,
    jwk: pair.publicKey.export({ format: 'jwk' }) as Record<string, string>,
    alg: type === 'ec' ? 'ES256' : 'EdDSA',
  };
}

/** A DPoP proof (RFC 9449 s4.2) signed with the key. */
export function proof(key: Key, claims: Record<string, unknown>): string {
  const input = `${b64({ typ: 'dpop+jwt', alg: key.alg, jwk: key.jwk })}.${b64({ jti: randomUUID(), iat: 1_768_039_200, ...claims })}`;
  const signature =
    key.alg === 'ES256'
      ? sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

export interface Flow {
  /** The key the client proves with; `cnfKey`: the key the server binds the token to (the same, unless a fault). */
  key: Key;
  cnfKey?: Key;
  dpopJkt?: string;
  scheme?: 'DPoP' | 'Bearer';
  apiUrl?: string;
  /** The proof of the API call: its htu, and the token its ath hashes. */
  apiHtu?: string;
  athOf?: string;
  /**
   * The API first answers 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` with a `DPoP-Nonce` (RFC 9449 s9, its
   * example's words); `retry`: the client calls again with the nonce in its proof (else it gives up).
   */
  resourceNonce?: { retry: boolean };
}

const header = (name: string, value: string) => ({ name, value });

function entry(
  at: string,
  method: string,
  url: string,
  headers: { name: string; value: string }[],
  status: number,
  body?: unknown,
  extra = {},
) {
  return {
    startedDateTime: at,
    request: {
      method,
      url,
      headers,
      ...(method === 'POST'
        ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: extra && (extra as { form?: string }).form } }
        : {}),
    },
    response: {
      status,
      headers: [
        ...((extra as { location?: string }).location ? [header('location', (extra as { location: string }).location)] : []),
        ...((extra as { headers?: { name: string; value: string }[] }).headers ?? []),
      ],
      redirectURL: (extra as { location?: string }).location ?? '',
      content: body === undefined ? { mimeType: 'text/html', text: '' } : { mimeType: 'application/json', text: JSON.stringify(body) },
    },
  };
}

/** The whole DPoP sign-in as a browser's HAR. */
export function flowHar(flow: Flow): { har: unknown; accessToken: string } {
  const { key } = flow;
  const jkt = jwkThumbprint((flow.cnfKey ?? key).jwk) as string;
  const accessToken = jwt({
    iss: AS,
    aud: API,
    sub: 'u1',
    scope: 'read',
    exp: 1_768_042_800,
    iat: 1_768_039_200,
    client_id: 'spa',
    cnf: { jkt },
  });
  const authorize = `${AS}/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: 'spa',
    redirect_uri: `${APP}/cb`,
    scope: 'read',
    resource: API,
    state: 's1',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    dpop_jkt: flow.dpopJkt ?? (jwkThumbprint(key.jwk) as string),
  })}`;
  const form = `grant_type=authorization_code&code=c1&redirect_uri=${encodeURIComponent(`${APP}/cb`)}&client_id=spa&code_verifier=${VERIFIER}`;
  const tokenProof = (nonce?: string) => proof(key, { htm: 'POST', htu: `${AS}/token`, ...(nonce ? { nonce } : {}) });
  const apiUrl = flow.apiUrl ?? `${API}/v1/items`;
  const entries = [
    entry('2026-01-10T10:00:00.000Z', 'GET', authorize, [], 302, undefined, { location: `${APP}/cb?code=c1&state=s1` }),
    entry(
      '2026-01-10T10:00:01.000Z',
      'POST',
      `${AS}/token`,
      [header('DPoP', tokenProof())],
      400,
      {
        error: 'use_dpop_nonce',
        error_description: 'Authorization server requires nonce in DPoP proof',
      },
      { form },
    ),
    entry(
      '2026-01-10T10:00:01.100Z',
      'POST',
      `${AS}/token`,
      [header('DPoP', tokenProof('eyJ7S_zG.eyJH0-Z.HX4w-7v'))],
      200,
      {
        access_token: accessToken,
        token_type: 'DPoP',
        expires_in: 3600,
        scope: 'read',
      },
      { form },
    ),
  ];
  const apiCall = (at: string, nonce: string | undefined, status: number, body: unknown, extra = {}) =>
    entry(
      at,
      'GET',
      apiUrl,
      [
        header('Authorization', `${flow.scheme ?? 'DPoP'} ${accessToken}`),
        header(
          'DPoP',
          proof(key, {
            htm: 'GET',
            htu: flow.apiHtu ?? apiUrl,
            ath: accessTokenHash(flow.athOf ?? accessToken),
            ...(nonce ? { nonce } : {}),
          }),
        ),
      ],
      status,
      body,
      extra,
    );
  const RS_NONCE = 'eyJ7S_zG.eyJH0-Z.HX4w-7v';
  if (flow.resourceNonce) {
    entries.push(
      apiCall('2026-01-10T10:00:02.000Z', undefined, 401, undefined, {
        headers: [
          header('WWW-Authenticate', 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"'),
          header('DPoP-Nonce', RS_NONCE),
        ],
      }),
    );
    if (flow.resourceNonce.retry) entries.push(apiCall('2026-01-10T10:00:02.100Z', RS_NONCE, 200, { items: [] }));
  } else entries.push(apiCall('2026-01-10T10:00:02.000Z', undefined, 200, { items: [] }));
  return { har: { log: { version: '1.2', entries } }, accessToken };
}

/** The HAR as the library reads it (readHar) and as the CLI reads it (streaming reader, uses matched by value): the same. */
export function reports(har: unknown): Report[] {
  const read = readHar(har);
  const steps = signInStepsFromHar((har as { log: { entries: unknown[] } }).log.entries);
  const whole = buildReport(read.exchanges, { bearerUses: read.bearerUses, signInSteps: steps });
  const reader = createHarStreamReader();
  reader.push(JSON.stringify(har));
  const result = reader.end();
  const streamed = buildReport(result.exchanges, { bearerUses: matchBearerUses(result), signInSteps: result.signInSteps });
  return [whole, streamed];
}

/** The key's RFC 7638 thumbprint. */
export function jwkThumbprintOf(key: Key): string {
  return jwkThumbprint(key.jwk) as string;
}
