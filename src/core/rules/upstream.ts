/** Rule on another provider's tokens handed to the browser: upstream-token-in-browser. */
import type { ExchangeContext, ServerGrant } from '../analysis/exchange-context.js';
import { addFinding, quote, quoteList, serverName } from '../analysis/findings.js';
import type { UpstreamEntry } from '../providers.js';

/**
 * Supabase hands the upstream provider's own token (`provider_token`, and `provider_refresh_token` when the
 * provider issued one) to the browser once, after a sign-in through that provider: documented
 * (supabase.com/docs/guides/auth/social-login#provider-tokens) and how an app calls the provider's API, so
 * info, not a fault. Said in words because it is a second credential, for another service, that any script of
 * the page can read (OAuth 2.0 for Browser-Based Applications, draft-ietf-oauth-browser-based-apps s5).
 */
export function checkUpstreamToken(upstream: UpstreamEntry, grant: ServerGrant, context: ExchangeContext): void {
  const provider = upstream.provider ? quote(upstream.provider) : 'the upstream identity provider';
  const refresh = upstream.fields.includes('provider_refresh_token');
  addFinding(context.findings, 'upstream-token-in-browser', {
    resourceServer: grant.id,
    tokenKind: upstream.fields.includes('provider_token') ? 'access' : 'refresh',
    explanation:
      'Supabase returns the upstream provider token to the client by design (it does not keep it); the app decides where it goes. Keep it out of localStorage and send it only to its own API, or exchange it on a server.',
    message: `The sign-in hands the browser ${provider}'s own token (${quoteList(upstream.fields)}), a credential for ${serverName(grant.id)} that any script of the page can read${refresh ? '; its refresh token keeps minting new ones' : ''}.`,
    evidence: {
      provider: upstream.provider,
      fields: upstream.fields,
      fingerprints: grant.tokens.map((token) => token.decoded.report.fingerprint),
    },
  });
}
