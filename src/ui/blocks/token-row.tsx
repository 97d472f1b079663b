/** One token a resource server received: kind, format, expiry, value, note and (on request) its claims. */
import { bindingText } from '../../core/dpop.js';
import type { TokenReport } from '../../core/types.js';
import { Clip } from '../components/clip.js';
import { Expiry } from '../components/expiry.js';
import { LazyDetails } from '../components/lazy-details.js';
import { ClaimsTable } from './claims-table.js';
import { TokenValue } from './token-value.js';

/** `server`: the resource server's id, the audience an access token should name; an ID token's is `clientId`. */
export function TokenRow({
  token,
  server,
  clientId,
  exchangeId,
}: {
  token: TokenReport;
  server: string;
  clientId: string | null;
  exchangeId: string;
}) {
  return (
    <li class="token">
      <div class="token-line">
        <span class={`kind kind-${token.kind}`}>{token.kind}</span>
        <span class="format">{token.format === 'jwt' ? 'JWT' : 'opaque'}</span>
        <Expiry expiresAt={token.expiresAt} />
        {token.binding ? (
          <span class="binding" title="sender-constrained: it cannot be replayed without the key (RFC 9700 s4.10.1)">
            <Clip text={bindingText(token.binding)} max={200} />
          </span>
        ) : null}
      </div>
      <TokenValue exchangeId={exchangeId} token={token} />
      {token.note ? (
        <p class="muted">
          <Clip text={token.note} />
        </p>
      ) : null}
      {token.claims ? (
        <LazyDetails className="claims-details" summary={token.kind === 'id' ? 'ID token claims' : `${token.kind} token claims`}>
          {() => (
            <>
              {token.header ? (
                <p class="muted header-line">
                  header: <Clip text={token.header} max={300} />
                </p>
              ) : null}
              <ClaimsTable claims={token.claims as Record<string, unknown>} expected={token.kind === 'id' ? clientId : server} />
            </>
          )}
        </LazyDetails>
      ) : null}
    </li>
  );
}
