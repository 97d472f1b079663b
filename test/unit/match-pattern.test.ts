/** Match patterns: which URLs are on a watched site. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesPattern, originOf, sitePattern } from '../../src/core/match-pattern.js';

const table: Array<[pattern: string, url: string, expected: boolean]> = [
  // An exact host, every port (ports are ignored, as browsers do for host permissions).
  ['http://127.0.0.1/*', 'http://127.0.0.1/', true],
  ['http://127.0.0.1/*', 'http://127.0.0.1:3000/app', true],
  ['http://127.0.0.1/*', 'http://127.0.0.1:8080/oauth2/token?x=1', true],
  ['http://127.0.0.1/*', 'https://127.0.0.1:3000/app', false],
  ['http://127.0.0.1/*', 'http://127.0.0.2/', false],
  ['http://127.0.0.1/*', 'http://localhost:3000/', false],
  ['http://127.0.0.1:3000/*', 'http://127.0.0.1:4000/x', true],
  ['http://localhost/*', 'http://LOCALHOST:5173/cb', true],
  ['http://[::1]/*', 'http://[::1]:8080/token', true],
  ['http://[::1]/*', 'http://127.0.0.1/token', false],

  // Subdomain wildcard.
  ['https://*.example.com/*', 'https://example.com/', true],
  ['https://*.example.com/*', 'https://sub.example.com/a/b', true],
  ['https://*.example.com/*', 'https://a.b.example.com:8443/x', true],
  ['https://*.example.com/*', 'https://badexample.com/', false],
  ['https://*.example.com/*', 'https://example.com.evil.test/', false],
  ['https://*.example.com/*', 'https://example.org/', false],
  ['https://*.example.com/*', 'http://sub.example.com/', false],
  ['https://*.EXAMPLE.com/*', 'https://Sub.Example.COM/', true],
  ['https://example.com/*', 'https://sub.example.com/', false],
  ['https://example.com/*', 'https://example.com/', true],

  // Any scheme (`*`) is http and https only.
  ['*://example.com/*', 'http://example.com/', true],
  ['*://example.com/*', 'https://example.com/x', true],
  ['*://example.com/*', 'ws://example.com/', false],
  ['*://example.com/*', 'wss://example.com/', false],
  ['*://example.com/*', 'ftp://example.com/', false],
  ['*://*/*', 'https://anything.test/', true],
  ['*://*/*', 'file:///etc/passwd', false],
  ['wss://example.com/*', 'wss://example.com/socket', true],
  ['wss://example.com/*', 'https://example.com/socket', false],

  // Paths (the query belongs to the path, as in browsers).
  ['https://example.com/app/*', 'https://example.com/app/', true],
  ['https://example.com/app/*', 'https://example.com/app/x/y?z=1', true],
  ['https://example.com/app/*', 'https://example.com/app', false],
  ['https://example.com/app/*', 'https://example.com/other/app/', false],
  ['https://example.com/app', 'https://example.com/app', true],
  ['https://example.com/app', 'https://example.com/app?x=1', false],
  ['https://example.com/app', 'https://example.com/app/', false],
  ['https://example.com/*/token', 'https://example.com/oauth2/token', true],
  ['https://example.com/*/token', 'https://example.com/oauth2/token/x', false],
  ['https://example.com/a.b', 'https://example.com/aXb', false],
  ['https://example.com/a+(b)?x', 'https://example.com/a+(b)?x', true],
  ['https://example.com/ab?x', 'https://example.com/ax', false],
  ['https://example.com/a+(b)', 'https://example.com/aa(b)', false],
  ['https://example.com/*', 'https://example.com/#frag', true],

  // <all_urls>.
  ['<all_urls>', 'http://example.com/', true],
  ['<all_urls>', 'https://127.0.0.1:3000/x', true],
  ['<all_urls>', 'ws://example.com/', true],
  ['<all_urls>', 'wss://example.com/', true],
  ['<all_urls>', 'file:///tmp/x.html', true],
  ['<all_urls>', 'ftp://example.com/', true],
  ['<all_urls>', 'chrome-extension://abcdef/popup.html', false],
  ['<all_urls>', 'about:blank', false],
  ['<all_urls>', 'data:text/html,hi', false],
  ['<all_urls>', 'javascript:alert(1)', false],

  // Malformed URLs and patterns never match.
  ['http://127.0.0.1/*', 'not a url', false],
  ['http://127.0.0.1/*', '', false],
  ['http://127.0.0.1/*', '/relative/path', false],
  ['http://127.0.0.1/*', 'http://', false],
  ['<all_urls>', 'not a url', false],
  ['', 'https://example.com/', false],
  ['*', 'https://example.com/', false],
  ['example.com/*', 'https://example.com/', false],
  ['https://example.com', 'https://example.com/', false],
  ['https://*foo.com/*', 'https://xfoo.com/', false],
  ['https://foo.*.com/*', 'https://foo.bar.com/', false],
  ['gopher://example.com/*', 'gopher://example.com/', false],
  ['HTTPS://example.com/*', 'https://example.com/', false],
  ['https:/example.com/*', 'https://example.com/', false],
  ['<ALL_URLS>', 'https://example.com/', false],
];

describe('matchesPattern', () => {
  for (const [pattern, url, expected] of table) {
    test(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(url)}`, () => {
      assert.equal(matchesPattern(pattern, url), expected);
    });
  }
});

describe('sitePattern', () => {
  const cases: Array<[string, string | null]> = [
    ['http://127.0.0.1:3000/app', 'http://127.0.0.1/*'],
    ['https://sub.example.com/a/b?c=d#e', 'https://sub.example.com/*'],
    ['https://EXAMPLE.com:443/', 'https://example.com/*'],
    ['http://[::1]:8080/', 'http://[::1]/*'],
    ['ftp://example.com/', null],
    ['file:///tmp/x.html', null],
    ['chrome-extension://abcdef/popup.html', null],
    ['about:blank', null],
    ['not a url', null],
    ['', null],
  ];
  for (const [url, expected] of cases) {
    test(`${JSON.stringify(url)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(sitePattern(url), expected);
    });
  }

  test('the pattern for a URL matches that URL on any port and path, and not other hosts', () => {
    const pattern = sitePattern('http://127.0.0.1:3000/app') as string;
    assert.ok(matchesPattern(pattern, 'http://127.0.0.1:3000/app'));
    assert.ok(matchesPattern(pattern, 'http://127.0.0.1:4000/oauth2/token'));
    assert.ok(!matchesPattern(pattern, 'http://127.0.0.10/'));
  });
});

describe('originOf', () => {
  const cases: Array<[string, string | null]> = [
    ['http://127.0.0.1:3000/app', 'http://127.0.0.1:3000'],
    ['https://example.com:443/x', 'https://example.com'],
    ['https://user:pass@Sub.Example.com/x?y#z', 'https://sub.example.com'],
    ['http://[::1]:8080/', 'http://[::1]:8080'],
    ['file:///tmp/x.html', null],
    ['about:blank', null],
    ['data:text/html,hi', null],
    ['not a url', null],
    ['', null],
  ];
  for (const [url, expected] of cases) {
    test(`${JSON.stringify(url)} -> ${JSON.stringify(expected)}`, () => {
      assert.equal(originOf(url), expected);
    });
  }
});
