/** Validity rules (src/core/rules/validity.ts): one row that fires each rule, and rows that must not. */
import assert from 'node:assert/strict';
import { API, CAPTURED_AT, exchange, jwt, NOW_S, ruleTable, VALID_CLAIMS as valid } from './helpers.js';

const full = jwt({ ...valid, aud: API });
const truncated = full.slice(0, full.indexOf('.') + 12);
const notJson = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from('not json').toString('base64url')}.sig`;
const skewed = jwt({ ...valid, aud: API, exp: NOW_S - 30, nbf: NOW_S + 30 });

ruleTable('unsigned-token', [
  {
    name: 'fires for alg none, in any case',
    rule: 'unsigned-token',
    exchanges: [
      exchange(
        { access_token: jwt({ ...valid, aud: API }, { alg: 'NONE' }).replace(/[^.]+$/, ''), token_type: 'Bearer' },
        { resource: API },
      ),
    ],
    count: 1,
    check: ([finding]) => assert.equal(finding?.severity, 'high'),
  },
  {
    name: 'does not fire for RS256',
    rule: 'unsigned-token',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: API }), token_type: 'Bearer' }, { resource: API })],
    count: 0,
  },
]);

ruleTable('expired and not-yet-valid', [
  {
    name: 'fires when exp is before the capture time (numeric strings too)',
    rule: 'expired',
    exchanges: [
      exchange({ access_token: jwt({ ...valid, aud: API, exp: String(NOW_S - 3600) }), token_type: 'Bearer' }, { resource: API }),
    ],
    count: 1,
    check: ([finding]) => assert.equal(finding?.evidence.capturedAt, CAPTURED_AT),
  },
  {
    name: 'is low for an expired refresh token',
    rule: 'expired',
    exchanges: [
      exchange({ access_token: 'opaque', refresh_token: jwt({ ...valid, exp: NOW_S - 3600 }), token_type: 'Bearer' }, { resource: API }),
    ],
    count: 1,
    check: ([finding]) => {
      assert.equal(finding?.tokenKind, 'refresh');
      assert.equal(finding?.severity, 'low');
    },
  },
  {
    name: 'fires when nbf is after the capture time',
    rule: 'not-yet-valid',
    exchanges: [exchange({ access_token: jwt({ ...valid, aud: API, nbf: NOW_S + 7200 }), token_type: 'Bearer' }, { resource: API })],
    count: 1,
  },
  {
    name: 'does not fire within a minute of clock skew',
    rule: 'expired',
    exchanges: [exchange({ access_token: skewed, token_type: 'Bearer' }, { resource: API })],
    count: 0,
  },
  {
    name: 'does not fire within a minute of clock skew',
    rule: 'not-yet-valid',
    exchanges: [exchange({ access_token: skewed, token_type: 'Bearer' }, { resource: API })],
    count: 0,
  },
]);

ruleTable('malformed-token', [
  {
    name: 'fires for a truncated JWT',
    rule: 'malformed-token',
    exchanges: [exchange({ access_token: truncated, token_type: 'Bearer' })],
    count: 1,
  },
  {
    name: 'fires for a JWT whose payload is not JSON',
    rule: 'malformed-token',
    exchanges: [exchange({ access_token: notJson, token_type: 'Bearer' })],
    count: 1,
  },
  {
    name: 'does not fire for an opaque token with dots that is not JWT-shaped',
    rule: 'malformed-token',
    exchanges: [exchange({ access_token: 'gho_abc.def ghi', token_type: 'Bearer' })],
    count: 0,
  },
]);
