/**
 * Tokens a site's service worker keeps from the page. SDKs that follow the browser-apps guidance (draft-ietf-oauth-
 * browser-based-apps s6.2, "token-mediating backend" in the browser) make the token call in their service worker and
 * hand the page a response whose token values are placeholders; the real values never reach the page, so the page
 * hook cannot see them. Recognising a placeholder lets the views say so instead of analysing it as an opaque token.
 *
 * @axa-fr/oidc-client 7.29.1, its service worker `@axa-fr/oidc-client-service-worker` (`src/constants.ts` `TOKEN`,
 * written by `src/utils/tokens.ts` `_hideTokens` into the token response, by `OidcServiceWorker.ts` `handleMessage`
 * `init` and `getCodeVerifier`): `<PREFIX>_<configuration name>#tabId=<tab>`, e.g.
 * `ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_default#tabId=default`. The response keeps the real `id_token`, `scope`,
 * `expires_in`, and adds `accessTokenPayload`: the worker's own decoding of the real access token's claims (null when
 * that token is not a JWT).
 */

/** Who holds a token the page was given a placeholder for. */
export interface HeldToken {
  /** The SDK whose service worker holds it. */
  sdk: string;
  /** The placeholder's fixed prefix. */
  placeholder: string;
}

const AXA_SDK = '@axa-fr/oidc-client';

/** The exact prefixes, from @axa-fr/oidc-client-service-worker 7.29.1 `src/constants.ts`. */
export const HELD_TOKEN_PLACEHOLDERS: readonly string[] = [
  'ACCESS_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_',
  'REFRESH_TOKEN_SECURED_BY_OIDC_SERVICE_WORKER_',
  'CODE_VERIFIER_SECURED_BY_OIDC_SERVICE_WORKER_',
  'NONCE_SECURED_BY_OIDC_SERVICE_WORKER_',
];

/** The holder of a token value that is a known service-worker placeholder, else null. */
export function heldTokenOf(value: string): HeldToken | null {
  const placeholder = HELD_TOKEN_PLACEHOLDERS.find((prefix) => value.startsWith(prefix));
  return placeholder ? { sdk: AXA_SDK, placeholder } : null;
}

/** The token's note: who holds it and what the page got instead. */
export function heldTokenNote(held: HeldToken): string {
  return `held by the site's service worker (${held.sdk}); the page got its placeholder ${held.placeholder}…`;
}

/** What the views and reports say in place of a held token's value or fingerprint. */
export const HELD_TOKEN_SAYING = "token held by the site's service worker: value not visible to the page";
