/**
 * The built CLI reading HARs as streams: files of any size (one larger than V8's string limit,
 * written in the test), `.har.gz`, stdin, several files at once in argument order, and HARs that
 * break off (exit 2, the byte offset named, what was read before still reported).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PARALLEL_MIN_BYTES } from '../../src/cli/entry-pool.js';
import { bearerEntry, tokenEntry, writeLargeHar } from '../support/large-har.js';
import { entry, har } from '../unit/helpers.js';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/tokenscope.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tokenscope-stream-'));

function run(args: string[], input?: string | Buffer) {
  const result = spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    input,
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '' },
  });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

const json = (result: { stdout: string }) =>
  JSON.parse(result.stdout) as { exchanges: { url: string; findings: { rule: string }[] }[]; notes?: string[] };
const beyond = (report: ReturnType<typeof json>) =>
  report.exchanges.flatMap((e) => e.findings).filter((f) => f.rule === 'token-sent-beyond-audience').length;

before(() => assert.ok(existsSync(cli), 'dist/tokenscope.mjs exists: run npm run build first'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('HARs that break off', () => {
  const whole = `${JSON.stringify(har(tokenEntry(1), bearerEntry(1), tokenEntry(2)), null, 1)}\n`;

  test('cut off inside an entry: what came before is reported with a note, the offset named, exit 2', () => {
    const cut = whole.slice(0, whole.lastIndexOf('grant_type'));
    writeFileSync(join(dir, 'cut.har'), cut);
    const result = run(['analyze', 'cut.har', '--format', 'json', '--fail-on', 'never']);
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(
        `^tokenscope: cut\\.har: reading stopped at byte ${Buffer.byteLength(cut)}: the HAR is cut off: it ends inside entry 3 .*the report holds the 1 exchange\\(s\\) read before it\\n$`,
      ),
    );
    const report = json(result);
    assert.deepEqual(
      report.exchanges.map((e) => e.url),
      ['https://as.example.test/oauth2/token?n=1'],
    );
    assert.equal(beyond(report), 1, 'the Bearer use read before the cut still counts');
    assert.match(report.notes?.[0] ?? '', /^cut\.har: Reading stopped at byte \d+/);
  });

  test('malformed inside an entry: the byte offset of the fault, in the table too', () => {
    const at = whole.lastIndexOf('"startedDateTime"');
    const broken = `${whole.slice(0, at)}]${whole.slice(at)}`;
    writeFileSync(join(dir, 'broken.har'), broken);
    const result = run(['analyze', 'broken.har']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, new RegExp(`reading stopped at byte ${Buffer.byteLength(whole.slice(0, at))}: malformed JSON`));
    assert.match(result.stdout, /note: broken\.har: Reading stopped at byte/);
    assert.match(result.stdout, /^1\.\s+POST\s+https:\/\/as\.example\.test\/oauth2\/token\?n=1 /m);
  });
});

describe('gzip, stdin and several files', () => {
  const one = JSON.stringify(har(tokenEntry(1), bearerEntry(2)));
  const two = JSON.stringify(har(tokenEntry(2), bearerEntry(1)));
  before(() => {
    writeFileSync(join(dir, 'one.har'), one);
    writeFileSync(join(dir, 'two.har.gz'), gzipSync(two));
    writeFileSync(join(dir, 'three.har'), JSON.stringify(har(tokenEntry(3))));
  });

  test('a .har.gz is read as the HAR it holds, and gzip on stdin too', () => {
    const plain = run(['analyze', '-', '--format', 'json', '--fail-on', 'never'], two);
    const gz = run(['analyze', 'two.har.gz', '--format', 'json', '--fail-on', 'never']);
    const piped = run(['analyze', '-', '--format', 'json', '--fail-on', 'never'], gzipSync(two));
    assert.equal(gz.status, 0, gz.stderr);
    assert.deepEqual(json(gz).exchanges, json(plain).exchanges);
    assert.deepEqual(json(piped).exchanges, json(plain).exchanges);
    // A pipe given as a file (bash's process substitution) is read once, gzip told from its first bytes.
    const substituted = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${cli}" analyze <(cat two.har.gz) --format json --fail-on never`],
      { cwd: dir },
    );
    assert.equal(substituted.status, 0, substituted.stderr.toString());
    assert.deepEqual(json({ stdout: substituted.stdout.toString() }).exchanges, json(plain).exchanges);
  });

  test('several files: exchanges in argument order, Bearer uses matched across files', () => {
    const result = run(['analyze', 'three.har', 'two.har.gz', 'one.har', '--format', 'json', '--fail-on', 'never']);
    assert.equal(result.status, 0, result.stderr);
    const report = json(result);
    assert.equal(result.stdout, `${JSON.stringify(report, null, 2)}\n`, 'written one exchange at a time, the same text');
    assert.deepEqual(
      report.exchanges.map((e) => new URL(e.url).search),
      ['?n=3', '?n=2', '?n=1'],
    );
    // Token 1 is issued in one.har and used in two.har.gz; token 2 the other way round.
    assert.equal(beyond(report), 2);
    const sarif = JSON.parse(run(['analyze', 'three.har', 'two.har.gz', 'one.har', '--format', 'sarif', '--fail-on', 'never']).stdout);
    const files = sarif.runs[0].results.map(
      (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        r.locations[0]?.physicalLocation.artifactLocation.uri,
    );
    assert.deepEqual([...new Set(files)], ['two.har.gz', 'one.har']);
  });

  test('one unreadable file among several: exit 2 naming it, no report', () => {
    const result = run(['analyze', 'one.har', 'missing.har', 'three.har']);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^tokenscope: cannot read missing\.har: no such file\n$/);
  });
});

describe('a HAR larger than a JavaScript string can be', () => {
  const file = join(dir, 'huge.har');
  after(() => rmSync(file, { force: true }));

  test('read as a stream, with the right counts', async () => {
    const V8_MAX_STRING = 0x1fffffe8;
    const { exchanges } = writeLargeHar(file, V8_MAX_STRING + 8 * 1024 * 1024);
    assert.ok(statSync(file).size > V8_MAX_STRING);
    // Streamed out of the child: the report is small, but nothing here holds more than it needs.
    const child = spawn(process.execPath, [cli, 'analyze', file, '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(status, 0, stderr);
    assert.equal(stderr, '', 'no progress line on a pipe');
    const report = JSON.parse(Buffer.concat(out).toString('utf8'));
    assert.equal(report.summary.exchanges, exchanges);
    assert.equal(report.summary.tokens, exchanges);
    assert.equal(beyond(report), exchanges);
    assert.equal(report.notes, undefined);
  });
});

describe('a large HAR read on every core', () => {
  // Over the CLI's PARALLEL_MIN_BYTES (src/cli/entry-pool.ts): a file read by this thread and worker threads.
  // The same bytes on stdin (size unknown) are read by one thread: both give the same report, byte for byte.
  const file = join(dir, 'large.har');
  let bytes: Buffer;
  before(() => {
    // Token exchanges and their Bearer uses among pages, scripts and images, past the threshold.
    const pieces: string[] = [];
    for (let n = 1, size = 0; size < PARALLEL_MIN_BYTES + 8 * 1024 * 1024; n++) {
      const asset = entry({
        url: `https://cdn.example.test/${n}.png`,
        content: { mimeType: 'image/png', encoding: 'base64', text: 'QUJD'.repeat(n % 7 === 0 ? 60_000 : 900) },
      });
      const page = entry({
        url: `https://app.example.test/page/${n}?code=${n}`,
        content: { mimeType: 'text/html', text: '<p>é</p>'.repeat(200) },
      });
      for (const one of n % 10 === 0 ? [tokenEntry(n / 10), asset, bearerEntry(n / 10), page] : [asset, page]) {
        const text = JSON.stringify(one);
        pieces.push(text);
        size += text.length;
      }
    }
    writeFileSync(file, JSON.stringify(har()).replace('"entries":[]', `"entries":[\n${pieces.join(',\n')}\n]`));
    bytes = readFileSync(file);
    assert.ok(bytes.length > PARALLEL_MIN_BYTES);
  });
  after(() => rmSync(file, { force: true }));

  const exchanges = (content: Buffer) => content.toString('latin1').split('"method":"POST"').length - 1;

  /** The file read on every core and the same bytes on stdin by one thread: output and exit status, the label aside. */
  function bothWays(name: string, content: Buffer) {
    writeFileSync(join(dir, name), content);
    const args = ['--format', 'json', '--fail-on', 'never'];
    const parallel = run(['analyze', name, ...args]);
    const single = run(['analyze', '-', ...args], content);
    const label = (text: string) => text.replaceAll(name, 'stdin');
    assert.equal(parallel.status, single.status, parallel.stderr);
    assert.equal(label(parallel.stderr), single.stderr);
    assert.equal(label(parallel.stdout), single.stdout);
    return { ...parallel, report: json(parallel) };
  }

  test('whole: every exchange, the same report as one thread', () => {
    const { status, report } = bothWays('whole.har', bytes);
    assert.equal(status, 0);
    assert.equal(report.exchanges.length, exchanges(bytes));
  });

  test('cut off past the middle: what came before, the same offset and report as one thread', () => {
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.7));
    const { status, stderr, report } = bothWays('cut.har', cut);
    assert.equal(status, 2);
    assert.match(stderr, new RegExp(`reading stopped at byte ${cut.length}: the HAR is cut off`));
    assert.ok(report.exchanges.length > 0 && report.exchanges.length < exchanges(bytes), `${report.exchanges.length} exchanges`);
  });

  test('a malformed token request past the middle: reading stops there, as in one thread', () => {
    const at = bytes.indexOf('"method":"POST"', Math.floor(bytes.length * 0.6));
    const broken = Buffer.concat([bytes.subarray(0, at), Buffer.from('"method":"POST",,'), bytes.subarray(at + 15)]);
    const { status, stderr } = bothWays('broken.har', broken);
    assert.equal(status, 2);
    assert.match(stderr, new RegExp(`reading stopped at byte ${at + 16}: malformed JSON in entry \\d+ \\(counting from 1\\)`));
  });
});
