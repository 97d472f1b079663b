// The demo app's OAuth client, by hand: authorization code + PKCE (RFC 7636, S256), code exchanged with the page's own fetch.
const config = JSON.parse(document.getElementById('config').textContent);
const status = document.getElementById('status');
const b64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const random = (size = 32) => b64url(crypto.getRandomValues(new Uint8Array(size)));
const sha256 = (text) => crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
const claimsOf = (jwt) =>
  JSON.parse(
    new TextDecoder().decode(Uint8Array.from(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))),
  );

async function signIn() {
  const pkce = { verifier: random(), state: random(16), nonce: random(16) };
  sessionStorage.setItem('pkce', JSON.stringify(pkce));
  const url = new URL(config.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scope,
    state: pkce.state,
    nonce: pkce.nonce,
    code_challenge: b64url(await sha256(pkce.verifier)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

async function finishSignIn(params) {
  const pkce = JSON.parse(sessionStorage.getItem('pkce') ?? 'null');
  sessionStorage.removeItem('pkce');
  history.replaceState(null, '', '/');
  if (params.has('error')) throw new Error(`the server said ${params.get('error')}`);
  if (!pkce || params.get('state') !== pkce.state) throw new Error('state does not match: start again');
  const response = await fetch(config.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: config.redirectUri,
      client_id: config.clientId,
      code_verifier: pkce.verifier,
    }),
  });
  const tokens = await response.json();
  if (!response.ok) throw new Error(`token endpoint: ${tokens.error}: ${tokens.error_description}`);
  const user = claimsOf(tokens.id_token);
  if (user.nonce !== pkce.nonce || user.aud !== config.clientId) throw new Error('the ID token is not for this sign-in');
  return { user, servers: [tokens, ...(tokens.other_tokens ?? [])].map((t) => t.resource_server) };
}

const params = new URLSearchParams(location.search);
if (params.has('code') || params.has('error')) {
  status.textContent = 'Signing in…';
  finishSignIn(params).then(
    ({ user, servers }) => {
      status.textContent = `Signed in as ${user.name} (${user.email})`;
      document
        .getElementById('servers')
        .replaceChildren(...servers.map((id) => Object.assign(document.createElement('li'), { textContent: `token for ${id}` })));
      document.getElementById('signin').textContent = 'Sign in again';
      document.getElementById('next').hidden = false;
    },
    (err) => {
      status.textContent = `Sign-in failed: ${err.message}`;
    },
  );
}
document.getElementById('signin').addEventListener('click', () => {
  signIn().catch((err) => {
    status.textContent = `Sign-in failed: ${err.message}`;
  });
});
