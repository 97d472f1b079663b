/**
 * The built CLI reading HARs as streams: files of any size (one larger than V8's string limit,
 * written in the test), `.har.gz`, stdin, several files at once in argument order, and HARs that
 * break off (exit 2, the byte offset named, what was read before still reported).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { bearerEntry, tokenEntry, writeLargeHar } from '../support/large-har.js';
import { har } from '../unit/helpers.js';

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
