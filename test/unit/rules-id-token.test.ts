/** The ID token rule (src/core/rules/id-token.ts): rows that fire it, and rows that must not. */
import assert from 'node:assert/strict';
import { exchange, jwt, ruleTable, VALID_CLAIMS as valid } from './helpers.js';

const app = { client_id: 'app' };

ruleTable('id-token-audience', [
  {
    name: 'fires when aud lacks the client id',
    rule: 'id-token-audience',
    exchanges: [
      exchange({ access_token: 'opaque', id_token: jwt({ ...valid, aud: 'another-client' }, { alg: 'RS256' }), token_type: 'Bearer' }, app),
    ],
    count: 1,
    check: ([finding]) => assert.equal(finding?.tokenKind, 'id'),
  },
  {
    name: 'fires for several audiences without azp = client id',
    rule: 'id-token-audience',
    exchanges: [exchange({ id_token: jwt({ ...valid, aud: ['app', 'other'] }), token_type: 'Bearer' }, app)],
    count: 1,
  },
  {
    name: 'fires for several audiences when the request names no client and there is no azp',
    rule: 'id-token-audience',
    exchanges: [exchange({ id_token: jwt({ ...valid, aud: ['app', 'other'] }), token_type: 'Bearer' })],
    count: 1,
    check: ([finding]) => assert.match(finding?.message ?? '', /azp is missing/),
  },
  {
    name: 'does not fire for several audiences with azp = client id',
    rule: 'id-token-audience',
    exchanges: [exchange({ id_token: jwt({ ...valid, aud: ['app', 'other'], azp: 'app' }), token_type: 'Bearer' }, app)],
    count: 0,
  },
  {
    name: 'does not fire for a single aud = client id',
    rule: 'id-token-audience',
    exchanges: [exchange({ id_token: jwt({ ...valid, aud: 'app' }), token_type: 'Bearer' }, app)],
    count: 0,
  },
]);
