/**
 * Linear time, shown by doubling (issue 23): the same kind of input at two sizes through the CLI
 * (`tokenscope analyze FILE --format json`), each a whole process, interleaved; the time ratio of the larger
 * to the smaller is ~2 when the work is linear and ~4 when it is quadratic.
 *
 * - `join-4000`: a HAR of N authorization requests (each its own PKCE challenge, its answer's state matched, one
 *   client and redirect URI) and N code exchanges an hour later that join none of them (another verifier, another
 *   code, out of the state window): every join looked up and missed. N = 2,000 and 4,000.
 * - `scopes-40000`: one token response granting N scopes, every one requested. N = 20,000 and 40,000.
 *
 * Target: time(2N) / time(N) <= 2.6 (linear, with the process start and the machine's noise), and the exchange
 * count right. The ratio is of CPU time (user + system, from GNU time) when it is measured, which other load on the
 * machine moves less than wall time; both are reported.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../lib/project.mjs';
import { stats } from '../lib/stats.mjs';
import { CLI, OUT_DIR, runNode, verdict } from './lib.mjs';

export const TARGET_DOUBLING = 2.6;
const T0 = Date.UTC(2026, 0, 10, 10);
const iso = (ms) => new Date(ms).toISOString();
const REDIRECT = 'https://app.example.test/cb';

function harEntry(url, method, at, { body = null, status = 200, location = null, responseText = '' } = {}) {
  return {
    startedDateTime: iso(at),
    time: 10,
    request: {
      method,
      url,
      httpVersion: 'HTTP/1.1',
      headers: body ? [{ name: 'Content-Type', value: 'application/x-www-form-urlencoded' }] : [],
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: body ? body.length : 0,
      ...(body ? { postData: { mimeType: 'application/x-www-form-urlencoded', text: body } } : {}),
    },
    response: {
      status,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      headers: location ? [{ name: 'Location', value: location }] : [{ name: 'Content-Type', value: 'application/json' }],
      cookies: [],
      content: { size: responseText.length, mimeType: location ? 'text/html' : 'application/json', text: responseText },
      redirectURL: location ?? '',
      headersSize: -1,
      bodySize: responseText.length,
    },
    cache: {},
    timings: { send: 0, wait: 10, receive: 0 },
  };
}

/** N unmatched sign-ins and N exchanges, as a HAR. */
export function joinHar(n) {
  const entries = [];
  for (let i = 0; i < n; i++) {
    const challenge = createHash('sha256').update(`verifier-${i}`).digest('base64url');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'bench-app',
      redirect_uri: REDIRECT,
      scope: 'openid https://api.example.test/read',
      state: `state-${i}`,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    entries.push(
      harEntry(`https://as.example.test/authorize?${query}`, 'GET', T0 + i * 100, {
        status: 302,
        location: `${REDIRECT}?code=code-${i}&state=state-${i}`,
      }),
    );
  }
  for (let i = 0; i < n; i++) {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      code: `other-code-${i}`,
      code_verifier: `other-verifier-${i}`,
      client_id: 'bench-app',
      redirect_uri: REDIRECT,
    }).toString();
    const answer = JSON.stringify({ access_token: `opaque-${i}`, token_type: 'Bearer', expires_in: 3600, scope: 'openid' });
    entries.push(
      harEntry('https://as.example.test/oauth/token', 'POST', T0 + 3_600_000 + n * 100 + i * 100, { body, responseText: answer }),
    );
  }
  return { log: { version: '1.2', creator: { name: 'tokenscope-bench', version: '1' }, pages: [], entries } };
}

/** One token response granting N scopes (short ones: 40,000 stay under the 1 MiB body the core parses). */
export function scopesResponse(n) {
  const scopes = Array.from({ length: n }, (_, i) => `api.read.${i}`);
  return { access_token: 'opaque-scopes', token_type: 'Bearer', expires_in: 3600, scope: scopes.join(' ') };
}

const KINDS = {
  'join-4000': {
    sizes: [2000, 4000],
    unit: 'sign-ins + exchanges',
    make: joinHar,
    ext: 'har',
    /** What the report must hold: every exchange, none joined. */
    check: (report, n) => report.exchanges.length === n && report.signIns.every((signIn) => signIn.joinedBy === null),
  },
  'scopes-40000': {
    sizes: [20_000, 40_000],
    unit: 'scopes',
    make: scopesResponse,
    ext: 'json',
    /** One exchange, every scope granted to its server. */
    check: (report, n) =>
      report.exchanges.length === 1 && report.exchanges[0].resourceServers.reduce((sum, server) => sum + server.scopes.length, 0) === n,
  },
};

function inputFile(kind, n) {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${kind}-${n}.${KINDS[kind].ext}`);
  writeFileSync(file, JSON.stringify(KINDS[kind].make(n)));
  return file;
}

async function benchScale(kind, { runs = 7, warmup = 1, log = console.log } = {}) {
  const { sizes, unit, check } = KINDS[kind];
  const files = sizes.map((n) => inputFile(kind, n));
  const outFile = join(OUT_DIR, `${kind}-out.json`);
  const samples = sizes.map(() => []);
  const counts = sizes.map(() => null);
  const runOne = async (index) => {
    const result = await runNode([CLI, 'analyze', files[index], '--format', 'json', '--fail-on', 'never'], { stdoutFile: outFile });
    if (result.code !== 0) throw new Error(`bench: tokenscope analyze ${files[index]} exited ${result.code}\n${result.stderr}`);
    const report = JSON.parse(readFileSync(outFile, 'utf8'));
    counts[index] = { exchanges: report.exchanges.length, right: check(report, sizes[index]) };
    return result;
  };
  for (let i = 0; i < warmup; i++) for (const index of sizes.keys()) await runOne(index);
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const index of order) {
      const { ms, cpuMs, rssKiB } = await runOne(index);
      samples[index].push({ round, ms: +ms.toFixed(1), cpuMs, rssKiB });
    }
    log(`bench: ${kind} round ${round + 1}/${runs}: ${sizes.map((n, i) => `${n} ${Math.round(samples[i].at(-1).ms)} ms`).join(', ')}`);
  }
  const summary = sizes.map((n, index) => ({
    n,
    bytes: readFileSync(files[index]).length,
    ms: stats(samples[index].map((s) => s.ms)),
    cpuMs: samples[index][0].cpuMs === null ? null : stats(samples[index].map((s) => s.cpuMs)),
    rssKiB: stats(samples[index].map((s) => s.rssKiB)),
    exchanges: counts[index]?.exchanges ?? null,
    reportRight: counts[index]?.right ?? false,
  }));
  const wallDoubling = summary[1].ms.median / summary[0].ms.median;
  const cpuDoubling = summary[0].cpuMs && summary[1].cpuMs ? summary[1].cpuMs.median / summary[0].cpuMs.median : null;
  const doubling = cpuDoubling ?? wallDoubling;
  return {
    name: kind,
    title: `tokenscope analyze --format json at ${sizes.join(' and ')} ${unit}: time(2N) / time(N)`,
    inputs: files.map((file) => relative(ROOT, file)),
    runs,
    warmup,
    sizes: summary,
    samples,
    doubling: +doubling.toFixed(3),
    doublingOf: cpuDoubling === null ? 'wall time' : 'CPU time',
    wallDoubling: +wallDoubling.toFixed(3),
    loadAverageAfter: os.loadavg().map((l) => +l.toFixed(2)),
    target: { doubling: TARGET_DOUBLING },
    pass: { doubling: doubling <= TARGET_DOUBLING, report: summary.every((size) => size.reportRight) },
  };
}

export const benchJoin = (options) => benchScale('join-4000', options);
export const benchScopes = (options) => benchScale('scopes-40000', options);

/** The result as a table for the terminal. */
export function formatScale(result) {
  const lines = [`${result.title}`, `  ${result.runs} interleaved rounds (+${result.warmup} warm-up), medians (min-max)`];
  for (const size of result.sizes)
    lines.push(
      `  N = ${String(size.n).padStart(6)}  ${(size.bytes / 1024 ** 2).toFixed(1).padStart(5)} MiB  ${Math.round(size.ms.median)
        .toString()
        .padStart(
          6,
        )} ms (${Math.round(size.ms.min)}-${Math.round(size.ms.max)})  CPU ${size.cpuMs ? `${Math.round(size.cpuMs.median)} ms` : 'n/a'}  peak ${Math.round(size.rssKiB.median / 1024)} MiB  exchanges ${size.exchanges}`,
    );
  lines.push(
    `  ${result.doublingOf} (2N) / (N): ${result.doubling.toFixed(2)} (linear ~2, quadratic ~4; target <= ${result.target.doubling}) ${verdict(result.pass.doubling)}; wall time ${result.wallDoubling.toFixed(2)}; report as expected ${verdict(result.pass.report)}`,
    `  load average after: ${result.loadAverageAfter.join(' ')}`,
  );
  return lines.join('\n');
}
