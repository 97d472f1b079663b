/** Random HAR entries for property tests of the HAR readers: token requests (form, JSON, params), Bearer calls, noise; unicode, escapes, base64. */
import fc from 'fast-check';
import { entry } from './helpers.js';

export const tokenBody = JSON.stringify({
  access_token: 'opaque-at-1',
  token_type: 'Bearer',
  expires_in: 3600,
  resource_server: 'transfer.api.globus.org',
});
export const tokenPost = { mimeType: 'application/x-www-form-urlencoded', text: 'grant_type=authorization_code&code=abc&client_id=app' };
export const bearer = (token: string) => [{ name: 'Authorization', value: `Bearer ${token}` }];

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('{"a":"\\"}"}', '\\u0041', 'access_token', 'POST', 'Bearer x', '"}]{['),
);
export const arbitraryEntry = fc.oneof(
  fc
    .record({
      method: fc.constantFrom('POST', 'post', 'GET'),
      url: fc.constantFrom('https://idp.test/token', 'https://idp.test/oauth2/v2.0/token', 'https://api.test/x?code=1'),
      body: fc.constantFrom('grant_type=client_credentials', '{"grant_type":"password"}', 'q=1'),
      response: fc.oneof(text, fc.constant(tokenBody)),
      base64: fc.boolean(),
    })
    .map((r) =>
      entry({
        method: r.method,
        url: r.url,
        postData: { mimeType: 'application/x-www-form-urlencoded', text: r.body },
        content: r.base64 ? { encoding: 'base64', text: Buffer.from(r.response).toString('base64') } : { text: r.response },
      }),
    ),
  fc
    .record({
      token: fc.oneof(
        fc.string({ minLength: 1 }).filter((s) => !/\s/.test(s)),
        fc.constantFrom('a', 'b', 'c'),
      ),
      url: fc.webUrl(),
      body: text,
    })
    .map((r) => entry({ url: r.url, requestHeaders: bearer(r.token), content: { text: r.body } })),
  fc
    .record({ url: fc.webUrl(), body: text, mime: fc.constantFrom('text/html', 'image/png', 'application/json') })
    .map((r) => entry({ url: r.url, content: { mimeType: r.mime, text: r.body } })),
  fc.record({ params: fc.array(fc.tuple(fc.constantFrom('grant_type', 'scope', 'x'), text)) }).map((r) =>
    entry({
      method: 'POST',
      url: 'https://idp.test/a',
      postData: { params: r.params.map(([name, value]) => ({ name, value })) },
      content: { text: tokenBody },
    }),
  ),
);
