#!/usr/bin/env node
/**
 * A large, realistic HAR 1.2 for benchmarks, shaped as Chrome's DevTools saves it
 * ("Save all as HAR with content"): pages, entries with headers, cookies, timings,
 * `_initiator`, `_priority`, `_resourceType`, and base64 content for binary bodies.
 *
 *   node scripts/bench/gen-har.mjs --out FILE [--entries N] [--exchanges N] [--mb N] [--seed N] [--bearer shared|distinct]
 *
 * `--mb` is the size aimed at (MiB): static assets are sized to reach it. Each entry
 * carries ~4.5 KB of Chrome-style structure (headers, timings, initiator), so a small
 * --mb with many entries comes out larger than asked.
 *
 * Deterministic: the same options give the same bytes. Exactly `--exchanges` entries
 * are OAuth token-endpoint exchanges (Globus-shaped JSON with other_tokens, generic
 * OIDC JSON with JWT access tokens, GitHub-style form data), spread through the file.
 * Every other entry is something a token-exchange detector must skip: API calls with
 * `Authorization: Bearer <jwt>` and JSON bodies that talk about tokens without being
 * token responses, CORS preflights to the token endpoint, HTML, JS, CSS, images and fonts.
 *
 * `--bearer distinct` gives nearly every API call (95 %) its own Bearer JWT, as when each call
 * carries a fresh or per-audience token, so a reader that hashes every Bearer token pays for
 * each; `shared` (the default) sends one token on 80 % of them.
 *
 * Also importable: `generateHar({ out, entries, exchanges, mb, seed, bearer })` returns a summary.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const DEFAULTS = { entries: 10_200, exchanges: 500, mb: 70, seed: 20240601 };
const MIB = 1024 * 1024;

// ---------------------------------------------------------------- PRNG and helpers

/** mulberry32: small, fast, seeded. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const HEX = '0123456789abcdef';
  const chars = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  };
  const bytes = (n) => {
    const out = Buffer.allocUnsafe(n);
    let i = 0;
    for (; i + 4 <= n; i += 4) out.writeUInt32LE(Math.floor(next() * 4294967296), i);
    for (; i < n; i++) out[i] = Math.floor(next() * 256);
    return out;
  };
  const uuid = () => `${chars(HEX, 8)}-${chars(HEX, 4)}-4${chars(HEX, 3)}-${pick(['8', '9', 'a', 'b'])}${chars(HEX, 3)}-${chars(HEX, 12)}`;
  return { next, int, pick, chance, alnum: (n) => chars(ALNUM, n), hex: (n) => chars(HEX, n), bytes, uuid };
}

/** The item of `list` that `roll` (0..1) falls on, each taking `list[i][field]` of the range. */
function weighted(list, field, roll) {
  let acc = 0;
  for (const item of list) {
    acc += item[field];
    if (roll < acc) return item;
  }
  return list[0];
}

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT shaped like an RS256 one: header.payload.signature, base64url JSON, 256-byte signature. */
function jwt(r, claims, kid) {
  return `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url(claims)}.${r.bytes(256).toString('base64url')}`;
}

const form = (fields) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
const formParams = (fields) => Object.entries(fields).map(([name, value]) => ({ name, value: String(value) }));

// ---------------------------------------------------------------- the site being browsed

const APP = 'https://app.northwind-research.org';
const API = 'https://api.northwind-research.org';
const CDN = 'https://cdn.northwind-research.org';
const FONTS = 'https://fonts.gstatic.com';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const WORDS =
  'data set sample run project member analysis result chart filter query page report export token usage quota limit model batch job queue file folder transfer endpoint share group policy audit event session'.split(
    ' ',
  );
const JS_IDENTS =
  'render update state props dispatch reducer selector memo effect callback ref node element value index key item list map filter reduce promise resolve reject fetch response headers request options config store token accessToken refreshToken expiresAt scope audience client session user'.split(
    ' ',
  );

/** The token issuers, with the shape their token responses take. */
const IDPS = [
  { kind: 'globus', url: 'https://auth.globus.org/v2/oauth2/token', weight: 0.4 },
  { kind: 'oidc', url: 'https://login.northwind-research.org/oauth/token', issuer: 'https://login.northwind-research.org/', weight: 0.25 },
  { kind: 'oidc', url: 'https://sso.partner-lab.net/v2/oauth2/token', issuer: 'https://sso.partner-lab.net', weight: 0.15 },
  { kind: 'github', url: 'https://git.northwind-research.org/oauth/token', weight: 0.2 },
];

const GLOBUS_SERVERS = [
  { rs: 'transfer.api.globus.org', scope: 'urn:globus:auth:scope:transfer.api.globus.org:all' },
  { rs: 'groups.api.globus.org', scope: 'urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships' },
  { rs: 'search.api.globus.org', scope: 'urn:globus:auth:scope:search.api.globus.org:search' },
  { rs: '6d3275c0-ea4e-4c8b-9d51-1c0e5b6a2b3f', scope: 'https://auth.globus.org/scopes/6d3275c0-ea4e-4c8b-9d51-1c0e5b6a2b3f/https' },
  { rs: 'compute.api.globus.org', scope: 'https://auth.globus.org/scopes/facd7ccc-c5f4-42aa-916b-a0e270e2c2a9/all' },
];

// ---------------------------------------------------------------- entry building blocks

function isoAt(ms) {
  return new Date(ms).toISOString();
}

function requestHeaders(r, method, url, extra = [], { accept = '*/*', dest = 'empty', mode = 'cors' } = {}) {
  const u = new URL(url);
  return [
    { name: ':authority', value: u.host },
    { name: ':method', value: method },
    { name: ':path', value: u.pathname + u.search },
    { name: ':scheme', value: 'https' },
    { name: 'accept', value: accept },
    { name: 'accept-encoding', value: 'gzip, deflate, br, zstd' },
    { name: 'accept-language', value: 'en-US,en;q=0.9' },
    ...extra,
    { name: 'priority', value: r.pick(['u=1, i', 'u=0, i', 'u=2']) },
    { name: 'referer', value: `${APP}/` },
    { name: 'sec-ch-ua', value: '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"' },
    { name: 'sec-ch-ua-mobile', value: '?0' },
    { name: 'sec-ch-ua-platform', value: '"Linux"' },
    { name: 'sec-fetch-dest', value: dest },
    { name: 'sec-fetch-mode', value: mode },
    { name: 'sec-fetch-site', value: u.origin === APP ? 'same-origin' : 'same-site' },
    { name: 'user-agent', value: UA },
  ];
}

function responseHeaders(r, mimeType, size, extra = []) {
  return [
    { name: 'cache-control', value: mimeType.startsWith('application/json') ? 'no-store' : 'public, max-age=31536000, immutable' },
    { name: 'content-encoding', value: 'br' },
    { name: 'content-length', value: String(Math.max(1, Math.round(size * 0.35))) },
    { name: 'content-type', value: mimeType },
    { name: 'date', value: 'Sat, 01 Jun 2024 10:00:00 GMT' },
    { name: 'server', value: r.pick(['nginx', 'cloudflare', 'AmazonS3', 'envoy']) },
    { name: 'strict-transport-security', value: 'max-age=63072000; includeSubDomains; preload' },
    { name: 'vary', value: 'Accept-Encoding, Origin' },
    { name: 'x-request-id', value: r.uuid() },
    ...extra,
  ];
}

function timings(r) {
  const fresh = r.chance(0.08);
  const t = {
    blocked: +(r.next() * 4).toFixed(3),
    dns: fresh ? +(r.next() * 30).toFixed(3) : -1,
    ssl: fresh ? +(r.next() * 40).toFixed(3) : -1,
    connect: fresh ? +(40 + r.next() * 60).toFixed(3) : -1,
    send: +(r.next() * 0.5).toFixed(3),
    wait: +(10 + r.next() * 250).toFixed(3),
    receive: +(r.next() * 40).toFixed(3),
    _blocked_queueing: +(r.next() * 3).toFixed(3),
    _workerStart: -1,
    _workerReady: -1,
    _workerFetchStart: -1,
    _workerRespondWithSettled: -1,
  };
  return t;
}

function initiator(r, type) {
  if (type === 'parser') return { type: 'parser', url: `${APP}/`, lineNumber: r.int(10, 400) };
  return {
    type: 'script',
    stack: {
      callFrames: [
        {
          functionName: r.pick(JS_IDENTS),
          scriptId: String(r.int(10, 400)),
          url: `${CDN}/assets/index-${r.hex(8)}.js`,
          lineNumber: 0,
          columnNumber: r.int(1000, 90000),
        },
        {
          functionName: '',
          scriptId: String(r.int(10, 400)),
          url: `${CDN}/assets/vendor-${r.hex(8)}.js`,
          lineNumber: 1,
          columnNumber: r.int(100, 9000),
        },
      ],
    },
  };
}

function entry(
  r,
  ctx,
  { method, url, reqHeaders, postData, status = 200, statusText = 'OK', resHeaders, content, resourceType, priority, init, bodySize },
) {
  const u = new URL(url);
  const t = timings(r);
  const time = Object.entries(t).reduce((sum, [k, v]) => (k.startsWith('_') || v < 0 ? sum : sum + v), 0);
  const started = ctx.clock;
  ctx.clock += r.int(1, 120);
  const e = {
    _connectionId: String(r.int(1000, 99999)),
    _initiator: init,
    _priority: priority,
    _resourceType: resourceType,
    cache: {},
    connection: String(r.int(1000, 99999)),
    pageref: ctx.pageref,
    request: {
      method,
      url,
      httpVersion: 'h2',
      headers: reqHeaders,
      queryString: [...u.searchParams].map(([name, value]) => ({ name, value })),
      cookies: u.hostname.endsWith('northwind-research.org') && !u.hostname.startsWith('cdn.') ? ctx.cookies : [],
      headersSize: -1,
      bodySize: postData ? Buffer.byteLength(postData.text) : 0,
    },
    response: {
      status,
      statusText,
      httpVersion: 'h2',
      headers: resHeaders,
      cookies: [],
      content,
      redirectURL: '',
      headersSize: -1,
      bodySize: bodySize ?? -1,
      _transferSize: Math.round((content.size ?? 0) * 0.35) + 400,
      _error: null,
    },
    serverIPAddress: `${r.int(13, 203)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
    startedDateTime: isoAt(started),
    time: +time.toFixed(3),
    timings: t,
  };
  if (postData) e.request.postData = postData;
  return e;
}

// ---------------------------------------------------------------- token exchanges (the 500)

function tokenRequest(r, idp) {
  const grant = r.pick(['authorization_code', 'authorization_code', 'authorization_code', 'refresh_token', 'client_credentials']);
  const clientId = idp.kind === 'globus' ? ctxGlobusClient : idp.kind === 'github' ? `Iv1.${r.hex(16)}` : r.alnum(32);
  const fields = { grant_type: grant, client_id: clientId };
  if (grant === 'authorization_code') {
    fields.code = r.alnum(idp.kind === 'globus' ? 30 : 43);
    fields.redirect_uri = `${APP}/auth/callback`;
    fields.code_verifier = r.alnum(64);
  } else if (grant === 'refresh_token') {
    fields.refresh_token = r.alnum(48);
  } else {
    fields.client_secret = r.alnum(40);
  }
  if (idp.kind === 'oidc' && r.chance(0.5)) fields.scope = 'openid profile email offline_access read:datasets';
  if (idp.kind === 'oidc' && r.chance(0.3)) fields.audience = `${API}/`;
  return { grant, clientId, fields };
}

const ctxGlobusClient = '2b1f7a3e-3c4e-4a8f-9d1a-5e6f7a8b9c0d';

function globusResponse(r, clientId, nowSec) {
  const shuffled = [...GLOBUS_SERVERS];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  const others = shuffled.slice(0, r.int(1, 2));
  const idToken = jwt(
    r,
    {
      sub: r.uuid(),
      iss: 'https://auth.globus.org',
      aud: clientId,
      at_hash: r.alnum(22),
      name: 'Ada Researcher',
      email: 'ada@northwind-research.org',
      preferred_username: 'ada@northwind-research.org',
      identity_provider: r.uuid(),
      organization: 'Northwind Research',
      last_authentication: nowSec - 30,
      identity_set: [{ sub: r.uuid(), email: 'ada@northwind-research.org', identity_provider: r.uuid() }],
      iat: nowSec,
      exp: nowSec + 172800,
    },
    r.hex(8),
  );
  return {
    access_token: `Ag${r.alnum(38)}`,
    expires_in: 172800,
    resource_server: 'auth.globus.org',
    token_type: 'Bearer',
    state: r.alnum(16),
    scope: 'openid profile email',
    id_token: idToken,
    refresh_token: `Ag${r.alnum(60)}`,
    other_tokens: others.map((s) => ({
      access_token: `Ag${r.alnum(38)}`,
      expires_in: 172800,
      resource_server: s.rs,
      token_type: 'Bearer',
      state: r.alnum(16),
      scope: s.scope,
      refresh_token: `Ag${r.alnum(60)}`,
    })),
  };
}

function oidcResponse(r, idp, req, nowSec) {
  const multi = r.chance(0.35);
  const aud = multi ? [`${API}/`, `${idp.issuer.replace(/\/$/, '')}/userinfo`] : `${API}/`;
  const sub = `auth0|${r.hex(24)}`;
  const access = jwt(
    r,
    {
      iss: idp.issuer,
      sub,
      aud,
      iat: nowSec,
      exp: nowSec + 86400,
      azp: req.clientId,
      scope: 'openid profile email read:datasets write:datasets',
      permissions: ['read:datasets', 'write:datasets', 'read:reports'],
      jti: r.uuid(),
    },
    r.hex(16),
  );
  const body = {
    access_token: access,
    token_type: 'Bearer',
    expires_in: 86400,
    scope: 'openid profile email read:datasets write:datasets',
  };
  if (req.grant !== 'client_credentials') {
    body.id_token = jwt(
      r,
      {
        iss: idp.issuer,
        sub,
        aud: req.clientId,
        iat: nowSec,
        exp: nowSec + 36000,
        nonce: r.alnum(22),
        name: 'Ada Researcher',
        email: 'ada@northwind-research.org',
        email_verified: true,
      },
      r.hex(16),
    );
    body.refresh_token = `v1.${r.alnum(76)}`;
  }
  return body;
}

function tokenExchange(r, ctx) {
  const idp = weighted(IDPS, 'weight', r.next());
  const req = tokenRequest(r, idp);
  const nowSec = Math.floor(ctx.clock / 1000);
  let text;
  let mimeType;
  if (idp.kind === 'globus') {
    text = JSON.stringify(globusResponse(r, req.clientId, nowSec));
    mimeType = 'application/json';
  } else if (idp.kind === 'oidc') {
    text = JSON.stringify(oidcResponse(r, idp, req, nowSec));
    mimeType = 'application/json';
  } else {
    text = form({ access_token: `gho_${r.alnum(36)}`, scope: r.pick(['repo,gist', 'read:user,user:email', 'repo']), token_type: 'bearer' });
    mimeType = 'application/x-www-form-urlencoded; charset=utf-8';
  }
  const body = form(req.fields);
  const auth =
    idp.kind === 'globus' && r.chance(0.3)
      ? [{ name: 'authorization', value: `Basic ${Buffer.from(`${req.clientId}:${r.alnum(44)}`).toString('base64')}` }]
      : [];
  const headers = requestHeaders(r, 'POST', idp.url, [
    ...auth,
    { name: 'content-length', value: String(body.length) },
    { name: 'content-type', value: 'application/x-www-form-urlencoded' },
    { name: 'origin', value: APP },
  ]);
  return entry(r, ctx, {
    method: 'POST',
    url: idp.url,
    reqHeaders: headers,
    postData: { mimeType: 'application/x-www-form-urlencoded', text: body, params: formParams(req.fields) },
    resHeaders: responseHeaders(r, mimeType, text.length, [
      { name: 'access-control-allow-origin', value: APP },
      { name: 'pragma', value: 'no-cache' },
    ]),
    content: { size: text.length, mimeType: mimeType.split(';')[0], text },
    resourceType: 'fetch',
    priority: 'High',
    init: initiator(r, 'script'),
  });
}

// ---------------------------------------------------------------- everything else

/** A JSON API body that talks about tokens but is no token response. */
function apiBody(r, targetChars) {
  const items = [];
  const body = {
    request_id: r.uuid(),
    token_count: r.int(1, 9),
    next_page_token: r.alnum(24),
    access_token_ttl: 3600,
    session: { csrf_token: r.alnum(32), token_expires_at: isoAt(1717236000000 + r.int(0, 1e7)), refresh_token_rotation: true },
    usage: { prompt_tokens: r.int(10, 4000), completion_tokens: r.int(10, 4000), tokenizer: 'cl100k_base' },
    items,
  };
  let size = 400;
  while (size < targetChars) {
    const item = {
      id: r.uuid(),
      name: `${r.pick(WORDS)} ${r.pick(WORDS)} ${r.int(1, 999)}`,
      owner: {
        id: r.uuid(),
        display_name: `${r.pick(['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara'])} ${r.pick(['L.', 'H.', 'T.', 'D.', 'K.'])}`,
      },
      created_at: isoAt(1700000000000 + r.int(0, 1e10)),
      tags: [r.pick(WORDS), r.pick(WORDS), r.pick(WORDS)],
      stats: { files: r.int(0, 5000), bytes: r.int(0, 1e9), tokens_used: r.int(0, 1e5) },
      description: Array.from({ length: r.int(5, 30) }, () => r.pick(WORDS)).join(' '),
      bearer_token_hint: r.chance(0.1) ? `${r.alnum(6)}…` : null,
    };
    items.push(item);
    size += 420 + item.description.length;
  }
  return JSON.stringify(body);
}

function apiCall(r, ctx) {
  const method = r.chance(0.7) ? 'GET' : 'POST';
  const resource = r.pick(['datasets', 'projects', 'jobs', 'reports', 'members', 'usage', 'tokens/usage', 'sessions/current', 'search']);
  const url = `${API}/api/v1/${resource}${method === 'GET' ? `?page=${r.int(1, 40)}&page_size=50&sort=${r.pick(['name', '-created_at'])}` : ''}`;
  const extra = [];
  if (ctx.bearer === 'distinct' ? r.chance(0.95) : r.chance(0.8))
    extra.push({ name: 'authorization', value: `Bearer ${ctx.bearer === 'distinct' ? apiToken(r) : ctx.apiJwt}` });
  extra.push({ name: 'origin', value: APP });
  let postData;
  if (method === 'POST') {
    const text = JSON.stringify({
      query: `${r.pick(WORDS)} ${r.pick(WORDS)}`,
      filters: { tag: r.pick(WORDS), token_count: r.int(1, 5) },
      max_tokens: 256,
      client_token: r.uuid(),
    });
    postData = { mimeType: 'application/json', text };
    extra.push({ name: 'content-type', value: 'application/json' });
  }
  const text = apiBody(r, r.chance(0.06) ? r.int(4000, 16000) : r.int(200, 2000));
  return entry(r, ctx, {
    method,
    url,
    reqHeaders: requestHeaders(r, method, url, extra, { accept: 'application/json, text/plain, */*' }),
    postData,
    resHeaders: responseHeaders(r, 'application/json; charset=utf-8', text.length, [{ name: 'access-control-allow-origin', value: APP }]),
    content: { size: text.length, mimeType: 'application/json', text },
    resourceType: r.chance(0.6) ? 'fetch' : 'xhr',
    priority: 'High',
    init: initiator(r, 'script'),
  });
}

/** CORS preflight to the token endpoint: same URL, no body, not an exchange. */
function preflight(r, ctx) {
  const idp = r.pick(IDPS);
  const headers = requestHeaders(r, 'OPTIONS', idp.url, [
    { name: 'access-control-request-headers', value: 'content-type' },
    { name: 'access-control-request-method', value: 'POST' },
    { name: 'origin', value: APP },
  ]);
  return entry(r, ctx, {
    method: 'OPTIONS',
    url: idp.url,
    reqHeaders: headers,
    status: 204,
    statusText: '',
    resHeaders: responseHeaders(r, 'text/plain', 0, [
      { name: 'access-control-allow-methods', value: 'GET, POST, OPTIONS' },
      { name: 'access-control-allow-origin', value: APP },
    ]),
    content: { size: 0, mimeType: 'x-unknown' },
    resourceType: 'preflight',
    priority: 'High',
    init: { type: 'preflight', url: idp.url },
    bodySize: 0,
  });
}

function jsText(r, size) {
  const parts = ['"use strict";'];
  let n = 13;
  while (n < size) {
    const a = r.pick(JS_IDENTS);
    const b = r.pick(JS_IDENTS);
    const line = r.chance(0.02)
      ? `function ${a}${r.int(0, 99)}(e){const t=e.access_token??e.accessToken;return t?{Authorization:"Bearer "+t}:{}}`
      : `const ${a}_${r.alnum(3)}=(${b},t)=>{if(!${b})return null;const n=${b}.${r.pick(JS_IDENTS)}(t,${r.int(0, 999)});return n&&n.${r.pick(JS_IDENTS)}?"${r.pick(WORDS)}":${b}.${a}(n)};`;
    parts.push(line);
    n += line.length;
  }
  return parts.join('');
}

function cssText(r, size) {
  const parts = [];
  let n = 0;
  while (n < size) {
    const rule = `.${r.pick(WORDS)}-${r.alnum(5)}{display:${r.pick(['flex', 'block', 'grid', 'inline-flex'])};margin:${r.int(0, 32)}px ${r.int(0, 32)}px;color:#${r.hex(6)};font-size:${r.int(10, 24)}px;border-radius:${r.int(0, 12)}px}`;
    parts.push(rule);
    n += rule.length;
  }
  return parts.join('\n');
}

function htmlText(r, size) {
  const parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Northwind Research</title>'];
  let n = parts[0].length;
  while (n < size) {
    const block = `<div class="${r.pick(WORDS)}-${r.alnum(4)}"><h3>${r.pick(WORDS)} ${r.pick(WORDS)}</h3><p>${Array.from({ length: r.int(10, 40) }, () => r.pick(WORDS)).join(' ')}</p><a href="/${r.pick(WORDS)}/${r.uuid()}">open</a></div>\n`;
    parts.push(block);
    n += block.length;
  }
  parts.push('</body></html>');
  return parts.join('');
}

/** A static asset: `size` is the decoded size in bytes, chosen by the generator to reach the target file size. */
function asset(r, ctx, kind, size) {
  let url;
  let mimeType;
  let text;
  let encoding;
  let resourceType;
  let priority = 'Low';
  let init = initiator(r, 'parser');
  const headersExtra = { accept: '*/*', dest: 'empty', mode: 'no-cors' };
  if (kind === 'js') {
    url = `${CDN}/assets/${r.pick(JS_IDENTS)}-${r.hex(8)}.js`;
    mimeType = 'application/javascript';
    text = jsText(r, size);
    resourceType = 'script';
    priority = 'High';
    headersExtra.dest = 'script';
  } else if (kind === 'css') {
    url = `${CDN}/assets/${r.pick(WORDS)}-${r.hex(8)}.css`;
    mimeType = 'text/css';
    text = cssText(r, size);
    resourceType = 'stylesheet';
    priority = 'VeryHigh';
    headersExtra.dest = 'style';
  } else if (kind === 'html') {
    url = `${APP}/${r.pick(WORDS)}/${r.uuid()}`;
    mimeType = 'text/html';
    text = htmlText(r, size);
    resourceType = 'document';
    priority = 'VeryHigh';
    init = { type: 'other' };
    headersExtra.dest = 'document';
    headersExtra.mode = 'navigate';
  } else if (kind === 'font') {
    url = `${FONTS}/s/inter/v13/${r.alnum(40)}.woff2`;
    mimeType = 'font/woff2';
    text = Buffer.concat([Buffer.from('wOF2'), r.bytes(Math.max(0, size - 4))]).toString('base64');
    encoding = 'base64';
    resourceType = 'font';
    priority = 'VeryHigh';
    headersExtra.dest = 'font';
  } else {
    const type = r.pick(['png', 'jpeg', 'webp', 'gif']);
    url = `${CDN}/img/${r.pick(WORDS)}-${r.hex(10)}.${type === 'jpeg' ? 'jpg' : type}`;
    mimeType = `image/${type}`;
    const magic = { png: '89504e470d0a1a0a', jpeg: 'ffd8ffe000104a464946', webp: '52494646000000005745425056503820', gif: '474946383961' }[
      type
    ];
    text = Buffer.concat([Buffer.from(magic, 'hex'), r.bytes(Math.max(0, size - magic.length / 2))]).toString('base64');
    encoding = 'base64';
    resourceType = 'image';
    headersExtra.dest = 'image';
    headersExtra.accept = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
  }
  const decodedSize = encoding ? size : text.length;
  const content = { size: decodedSize, mimeType, text };
  if (encoding) content.encoding = encoding;
  if (!encoding && r.chance(0.3)) content.compression = Math.round(decodedSize * 0.6);
  return entry(r, ctx, {
    method: 'GET',
    url,
    reqHeaders: requestHeaders(r, 'GET', url, [], headersExtra),
    resHeaders: responseHeaders(r, mimeType, decodedSize, [{ name: 'etag', value: `"${r.hex(32)}"` }]),
    content,
    resourceType,
    priority,
    init,
  });
}

// ---------------------------------------------------------------- the file

/**
 * Kinds of non-exchange entries, with their share. Heavy kinds get a heavy-tailed
 * (Pareto, alpha 1.6) weight between base[0] and base[1], then all are scaled to hit the target size:
 * many small icons and chunks, a few large bundles and photos, as on a real site.
 */
const OTHER_KINDS = [
  { kind: 'api', share: 0.42 },
  { kind: 'preflight', share: 0.03 },
  { kind: 'image', share: 0.31, heavy: true, base: [1_500, 1_500_000] },
  { kind: 'js', share: 0.13, heavy: true, base: [3_000, 2_500_000] },
  { kind: 'css', share: 0.06, heavy: true, base: [1_000, 400_000] },
  { kind: 'html', share: 0.03, heavy: true, base: [5_000, 300_000] },
  { kind: 'font', share: 0.02, heavy: true, base: [12_000, 120_000] },
];
/** Bytes in the HAR per decoded byte (base64 inflates by 4/3, plus the JSON string escaping being negligible). */
const INFLATE = { image: 4 / 3, font: 4 / 3, js: 1, css: 1, html: 1 };

/** The claims of the API's access token; a distinct token each call differs in `jti` and `iat`. */
function apiClaims(r, azp) {
  return {
    iss: 'https://login.northwind-research.org/',
    sub: `auth0|${r.hex(24)}`,
    aud: [`${API}/`, 'https://login.northwind-research.org/userinfo'],
    iat: 1717236000 + r.int(0, 3600),
    exp: 1717322400,
    scope: 'openid profile email read:datasets',
    azp,
    jti: r.uuid(),
  };
}

/** A fresh Bearer token for one API call (--bearer distinct). */
function apiToken(r) {
  return jwt(r, apiClaims(r, 'n0rthw1ndAppClientId000000000000'), 'kid-api');
}

/** What every entry shares: the clock, the page, the site's cookies, the API's bearer token. */
function sharedContext(r) {
  const ctx = {
    clock: Date.UTC(2024, 5, 1, 10, 0, 0),
    pageref: 'page_1',
    cookies: [
      {
        name: '_ga',
        value: `GA1.1.${r.int(1e8, 9e8)}.${r.int(1.6e9, 1.7e9)}`,
        path: '/',
        domain: '.northwind-research.org',
        expires: '2025-07-06T10:00:00.000Z',
        httpOnly: false,
        secure: false,
      },
      {
        name: 'session',
        value: r.alnum(48),
        path: '/',
        domain: 'app.northwind-research.org',
        expires: '1969-12-31T23:59:59.000Z',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
      },
    ],
  };
  ctx.apiJwt = jwt(
    r,
    {
      iss: 'https://login.northwind-research.org/',
      sub: `auth0|${r.hex(24)}`,
      aud: [`${API}/`, 'https://login.northwind-research.org/userinfo'],
      iat: 1717236000,
      exp: 1717322400,
      scope: 'openid profile email read:datasets',
      azp: r.alnum(32),
    },
    r.hex(16),
  );
  return ctx;
}

/** Which index is an exchange (evenly spread with jitter), and the kind (and weight, if heavy) of every other entry. */
function planEntries(r, entries, exchanges) {
  const isExchange = new Uint8Array(entries);
  const stride = entries / Math.max(1, exchanges);
  for (let k = 0; k < exchanges; k++) isExchange[Math.min(entries - 1, Math.floor(k * stride + r.next() * stride))] = 1;
  let placed = isExchange.reduce((a, b) => a + b, 0);
  for (let i = 0; placed < exchanges; i++) {
    if (!isExchange[i]) {
      isExchange[i] = 1;
      placed++;
    }
  }
  const plan = [];
  for (let i = 0; i < entries; i++) {
    if (isExchange[i]) {
      plan.push({ kind: 'exchange' });
      continue;
    }
    const k = weighted(OTHER_KINDS, 'share', r.next());
    plan.push(
      k.heavy ? { kind: k.kind, heavy: true, weight: Math.min(k.base[1], k.base[0] / (1 - r.next()) ** (1 / 1.6)) } : { kind: k.kind },
    );
  }
  return plan;
}

/**
 * Sizes heavy entries as they come so the file reaches `target` bytes: each takes its weight's share of
 * what is left once the light entries still to come (at their average size so far) are counted out.
 */
function heavySizer(plan, target) {
  let heavyLeft = plan.reduce((s, p) => s + (p.heavy ? p.weight * INFLATE[p.kind] : 0), 0);
  let lightLeft = plan.filter((p) => !p.heavy).length;
  let heavyCountLeft = plan.length - lightLeft;
  let lightSeen = 0;
  let lightBytes = 0;
  let heavySeen = 0;
  let heavyOverhead = 0;
  return {
    /** The decoded size of heavy entry `p`, `written` bytes into the file. */
    size(p, written) {
      const lightAvg = lightSeen ? lightBytes / lightSeen : 4000;
      const overheadAvg = heavySeen ? heavyOverhead / heavySeen : 2500;
      const heavyBudget = Math.max(0, target - written - lightAvg * lightLeft - overheadAvg * heavyCountLeft);
      const share = (p.weight * INFLATE[p.kind]) / heavyLeft;
      heavyLeft -= p.weight * INFLATE[p.kind];
      return Math.max(200, Math.round((heavyBudget * share) / INFLATE[p.kind]));
    },
    /** Note what an entry took in the file (`text`). */
    wrote(p, e, text) {
      if (!p.heavy) {
        lightLeft--;
        lightSeen++;
        lightBytes += text.length;
      } else {
        heavyCountLeft--;
        heavySeen++;
        heavyOverhead += text.length - e.response.content.text.length;
      }
    },
  };
}

/** A file written in pieces of about 4 MiB; `written` counts its bytes. */
function fileWriter(out) {
  mkdirSync(dirname(resolve(out)), { recursive: true });
  const fd = openSync(out, 'w');
  let pending = [];
  let pendingBytes = 0;
  const flush = () => {
    if (pending.length) writeSync(fd, pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  const writer = {
    written: 0,
    write(s) {
      pending.push(s);
      pendingBytes += s.length;
      writer.written += Buffer.byteLength(s);
      if (pendingBytes > 4 * MIB) flush();
    },
    close() {
      flush();
      closeSync(fd);
    },
  };
  return writer;
}

/** The HAR up to its entries: the log and its pages, then `"entries": [` (entries after pages, as Chrome writes). */
function harHead(ctx, entries, pageEvery) {
  const pages = [];
  for (let p = 0; p * pageEvery < entries; p++) {
    pages.push({
      startedDateTime: isoAt(ctx.clock + p * pageEvery * 60),
      id: `page_${p + 1}`,
      title: `${APP}/${['', 'datasets', 'projects', 'jobs', 'reports', 'members', 'usage', 'settings'][p % 8]}`,
      pageTimings: { onContentLoad: 412.5 + p, onLoad: 988.1 + p },
    });
  }
  const head = JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector', version: '537.36' }, pages } }, null, 2);
  return `${head.slice(0, head.lastIndexOf('}', head.length - 2)).trimEnd()},\n    "entries": [\n`;
}

export function generateHar({
  out,
  entries = DEFAULTS.entries,
  exchanges = DEFAULTS.exchanges,
  mb = DEFAULTS.mb,
  seed = DEFAULTS.seed,
  bearer = 'shared',
}) {
  if (exchanges > entries) throw new Error('--exchanges cannot exceed --entries');
  if (bearer !== 'shared' && bearer !== 'distinct') throw new Error('--bearer must be shared or distinct');
  const r = prng(seed);
  const ctx = sharedContext(r);
  ctx.bearer = bearer;
  const plan = planEntries(r, entries, exchanges);
  const sizer = heavySizer(plan, mb * MIB);
  const file = fileWriter(out);
  const pageEvery = Math.max(1, Math.ceil(entries / 8));
  file.write(harHead(ctx, entries, pageEvery));

  let exchangesWritten = 0;
  const counts = {};
  for (let i = 0; i < entries; i++) {
    const p = plan[i];
    ctx.pageref = `page_${Math.floor(i / pageEvery) + 1}`;
    let e;
    if (p.kind === 'exchange') {
      e = tokenExchange(r, ctx);
      exchangesWritten++;
    } else if (p.kind === 'api') e = apiCall(r, ctx);
    else if (p.kind === 'preflight') e = preflight(r, ctx);
    else e = asset(r, ctx, p.kind, sizer.size(p, file.written));
    counts[p.kind] = (counts[p.kind] ?? 0) + 1;
    const text = `      ${JSON.stringify(e, null, 2).replace(/\n/g, '\n      ')}${i < entries - 1 ? ',' : ''}\n`;
    sizer.wrote(p, e, text);
    file.write(text);
  }
  file.write('    ]\n  }\n}\n');
  file.close();
  const written = file.written;
  return { out, bytes: written, mb: +(written / MIB).toFixed(1), entries, exchanges: exchangesWritten, counts, seed, bearer };
}

// ---------------------------------------------------------------- CLI

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      entries: { type: 'string', default: String(DEFAULTS.entries) },
      exchanges: { type: 'string', default: String(DEFAULTS.exchanges) },
      mb: { type: 'string', default: String(DEFAULTS.mb) },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      bearer: { type: 'string', default: 'shared' },
    },
  });
  if (!values.out) {
    console.error(
      'usage: node scripts/bench/gen-har.mjs --out FILE [--entries N] [--exchanges N] [--mb N] [--seed N] [--bearer shared|distinct]',
    );
    process.exit(2);
  }
  const started = performance.now();
  const summary = generateHar({
    out: values.out,
    entries: Number(values.entries),
    exchanges: Number(values.exchanges),
    mb: Number(values.mb),
    seed: Number(values.seed),
    bearer: values.bearer,
  });
  if (summary.bytes < Number(values.mb) * MIB * 0.98)
    console.error(`gen-har: warning: ${summary.mb} MiB is under the ${values.mb} MiB asked for`);
  console.log(
    `gen-har: ${summary.out}: ${summary.mb} MiB, ${summary.entries} entries, ${summary.exchanges} token exchanges (${Object.entries(
      summary.counts,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}) in ${Math.round(performance.now() - started)} ms`,
  );
}
