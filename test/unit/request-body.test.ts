/** A request body as webRequest gives it, as text (Firefox's response filter reads it for the candidate test). */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WebRequest } from 'webextension-polyfill';
import { requestBodyText } from '../../src/background/request-body.js';

type Body = WebRequest.OnBeforeRequestDetailsTypeRequestBodyType;

/** webRequest's formData: every key has a list of values (the polyfill's types say string). */
const form = (fields: Record<string, string[]>): Body => ({ formData: fields as unknown as Record<string, string> });
const raw = (...parts: Array<string | { file: string }>): Body => ({
  raw: parts.map((part) => (typeof part === 'string' ? { bytes: new TextEncoder().encode(part).buffer } : part)),
});

describe('requestBodyText', () => {
  test('nothing is null', () => {
    assert.equal(requestBodyText(undefined), null);
    assert.equal(requestBodyText({}), null);
    assert.equal(requestBodyText({ raw: [] }), null);
    assert.equal(requestBodyText({ error: 'Unknown error.' }), null);
  });

  test('formData becomes a form-encoded string, every value of every key', () => {
    assert.equal(
      requestBodyText(
        form({ grant_type: ['client_credentials'], scope: ['read write'], resource: ['https://a.test/', 'https://b.test/'] }),
      ),
      'grant_type=client_credentials&scope=read+write&resource=https%3A%2F%2Fa.test%2F&resource=https%3A%2F%2Fb.test%2F',
    );
    assert.equal(requestBodyText(form({})), '');
  });

  test('formData wins over raw', () => {
    assert.equal(requestBodyText({ ...form({ a: ['1'] }), ...raw('b=2') }), 'a=1');
  });

  test('raw bytes are decoded as UTF-8 and joined; file parts are empty', () => {
    assert.equal(requestBodyText(raw('grant_type=refresh_token')), 'grant_type=refresh_token');
    assert.equal(requestBodyText(raw('{"grant_type":', '"client_credentials"}')), '{"grant_type":"client_credentials"}');
    assert.equal(requestBodyText(raw('a=1', { file: '/tmp/upload.bin' }, '&b=ü')), 'a=1&b=ü');
  });

  test('raw text is cut at 64 KiB', () => {
    assert.equal(requestBodyText(raw('x'.repeat(70 * 1024)))?.length, 64 * 1024);
  });
});
