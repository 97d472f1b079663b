/**
 * What the extension reports live as a sign-in step: the URL tests the relay applies to a document's navigations,
 * and the page hook's test for a pushed authorization request, on published examples.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isCandidateRequest, isPushedAuthorizationRequest } from '../../src/core/candidate.js';
import { looksLikeAuthorizationRequest, looksLikeAuthorizationResponse } from '../../src/content/front-channel.js';

// RFC 6749 s4.1.1.
const CODE_REQUEST =
  'https://server.example.com/authorize?response_type=code&client_id=s6BhdRkqt3&state=xyz&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb';
// RFC 9126 s4: the authorization request after a PAR, by reference.
const PAR_AUTHORIZE = 'https://as.example.com/authorize?client_id=CLIENT1234&request_uri=urn%3Aexample%3Abwc4JK-ESC0w8acc191e-Y1LTC2';
// RFC 9126 s2.1: the PAR body (line breaks removed).
const PAR_BODY =
  'response_type=code&state=af0ifjsldkj&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&code_challenge=K2-ltc83acc4h0c9w6ESC_rEMTJ3bww-uCHaoeK1t8U&code_challenge_method=S256&scope=account-information';
// RFC 9101 s5.2: a request object pushed (JAR over PAR, RFC 9126 s3).
const PAR_JAR_BODY = 'client_id=s6BhdRkqt3&request=eyJraWQiOiJrMmJkYyIsImFsZyI6IlJTMjU2In0.eyJpc3MiOiJzNkJoZFJrcXQzIn0.c2ln';

test('an authorization request is recognised by response_type, or by a request by reference, with client_id', () => {
  assert.equal(looksLikeAuthorizationRequest(CODE_REQUEST), true);
  assert.equal(looksLikeAuthorizationRequest(PAR_AUTHORIZE), true);
  assert.equal(looksLikeAuthorizationRequest('https://as.example.com/authorize?client_id=c&request=eyJ.eyJ.sig'), true);
  // Without client_id, or with the parameters only in the fragment, it is no authorization request.
  assert.equal(looksLikeAuthorizationRequest('https://as.example.com/authorize?request_uri=urn%3Ax'), false);
  assert.equal(looksLikeAuthorizationRequest('https://app.example/page#response_type=code&client_id=c'), false);
  assert.equal(looksLikeAuthorizationRequest('https://app.example/search?q=client_id'), false);
});

test('an authorization response is recognised in the query or the fragment', () => {
  assert.equal(looksLikeAuthorizationResponse('https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz'), true);
  assert.equal(looksLikeAuthorizationResponse('https://client.example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz'), true);
  assert.equal(looksLikeAuthorizationResponse('https://client.example.com/cb?error=access_denied&state=xyz'), true);
  assert.equal(looksLikeAuthorizationResponse('https://client.example.com/cb'), false);
  assert.equal(looksLikeAuthorizationResponse('https://client.example.com/cb?postcode=1'), false);
});

test('a pushed authorization request is followed by the page hook; it is not taken for a token exchange', () => {
  assert.equal(isPushedAuthorizationRequest('POST', 'https://as.example.com/as/par', PAR_BODY), true);
  assert.equal(isPushedAuthorizationRequest('POST', 'https://as.example.com/request', PAR_JAR_BODY), true);
  assert.equal(isPushedAuthorizationRequest('post', 'https://as.example.com/oauth2/v1/par', PAR_BODY), true);
  assert.equal(isCandidateRequest('POST', 'https://as.example.com/as/par', PAR_BODY), false);
  // A GET, no body, a request object to a path that is no PAR endpoint, a token request: not PAR.
  assert.equal(isPushedAuthorizationRequest('GET', 'https://as.example.com/as/par', PAR_BODY), false);
  assert.equal(isPushedAuthorizationRequest('POST', 'https://as.example.com/as/par', null), false);
  assert.equal(isPushedAuthorizationRequest('POST', 'https://app.example/api/save', PAR_JAR_BODY), false);
  assert.equal(isPushedAuthorizationRequest('POST', 'https://as.example.com/token', 'grant_type=authorization_code&code=x'), false);
});
