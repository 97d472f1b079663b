/** Rules on answers without tokens (src/core/rules/errors.ts): rows that fire each rule, and rows that must not. */
import assert from 'node:assert/strict';
import { exchange, ruleTable } from './helpers.js';

const html = '<html><body>502 Bad Gateway</body></html>';
const form = 'access_token=gho_1&scope=repo%2Cgist&token_type=bearer';

ruleTable('error-response', [
  {
    name: 'fires for an RFC 6749 error with its description',
    rule: 'error-response',
    exchanges: [exchange({ error: 'invalid_grant', error_description: 'Code expired' }, {}, { status: 400 })],
    count: 1,
    check: ([finding]) => assert.match(finding?.message ?? '', /400 invalid_grant: Code expired/),
  },
  {
    name: 'fires for a JSON:API style errors list, with its first detail',
    rule: 'error-response',
    exchanges: [exchange({ errors: [{ code: 'AUTHENTICATION_FAILED', detail: 'Bad client credentials.' }] }, {}, { status: 401 })],
    count: 1,
    check: ([finding]) => assert.equal(finding?.message, 'The token endpoint answered 401 AUTHENTICATION_FAILED: Bad client credentials.'),
  },
  {
    name: 'does not fire for a success',
    rule: 'error-response',
    exchanges: [exchange({ access_token: 'x', token_type: 'Bearer' })],
    count: 0,
  },
]);

ruleTable('unparseable-response', [
  {
    name: 'fires for HTML and says where JSON parsing failed',
    rule: 'unparseable-response',
    exchanges: [exchange(html, {}, { status: 502, response: { contentType: 'text/html', body: html } })],
    count: 1,
    check: ([finding]) => assert.match(finding?.message ?? '', /neither JSON nor form data.*text\/html/),
  },
  {
    name: 'fires for cut-off JSON and says where parsing failed',
    rule: 'unparseable-response',
    exchanges: [exchange('{"access_token": "abc", "tok')],
    count: 1,
    check: ([finding]) => assert.match(finding?.message ?? '', /not valid JSON \(.*position/),
  },
  {
    name: 'does not fire for form-encoded bodies',
    rule: 'unparseable-response',
    exchanges: [exchange(form, {}, { response: { contentType: 'application/x-www-form-urlencoded', body: form } })],
    count: 0,
  },
]);
