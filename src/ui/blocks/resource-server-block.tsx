/** One resource server of an exchange: its name, how it was resolved and how sure that is, its worst finding, its scopes and tokens. */
import { worstSeverity } from '../../core/severity.js';
import type { Finding, ResourceServerReport } from '../../core/types.js';
import { useCapped } from '../components/capped.js';
import { Clip } from '../components/clip.js';
import { SeverityPill } from '../components/severity-pill.js';
import { countLabel } from '../../core/format/summary.js';
import { aliasWords, resolutionWords } from '../../core/format/verdict.js';
import { AuthorizationDetailsList } from './authorization-details-list.js';
import { ScopeList } from './scope-list.js';
import { TokenRow } from './token-row.js';

/** `findings`: this server's findings, informational ones left out. */
export function ResourceServerBlock({
  server,
  clientId,
  exchangeId,
  findings,
}: {
  server: ResourceServerReport;
  clientId: string | null;
  exchangeId: string;
  findings: Finding[];
}) {
  const worst = worstSeverity(findings);
  const tokens = useCapped(server.tokens, 'tokens');
  return (
    <section
      class={`rs${worst ? ` rs-${worst}` : ''}`}
      aria-label={`${server.resolvedBy === 'client' ? 'Client' : 'Resource server'} ${server.id}`}
    >
      <h3 class="rs-id">
        <span class="rs-name">
          <Clip text={server.id} max={200} />
        </span>{' '}
        {aliasWords(server) ? (
          <small class="muted rs-alias" title="Another name of this server, carried in its tokens' aud">
            (<Clip text={aliasWords(server) ?? ''} max={200} />){' '}
          </small>
        ) : null}
        <small class={`muted confidence confidence-${server.confidence ?? 'none'}`}>{resolutionWords(server)}</small>
        {worst ? (
          <SeverityPill
            severity={worst}
            title={`${countLabel(findings.length, 'finding')} for this ${server.resolvedBy === 'client' ? 'client' : 'resource server'}`}
          >
            {findings.length} {worst}
          </SeverityPill>
        ) : null}
      </h3>
      {server.resolvedBy === 'client' ? null : <ScopeList server={server} />}
      {server.resolvedBy === 'client' ? null : <AuthorizationDetailsList server={server} />}
      <ul class="tokens">
        {tokens.shown.map((token) => (
          <TokenRow key={token.fingerprint + token.kind} token={token} server={server.id} clientId={clientId} exchangeId={exchangeId} />
        ))}
        {tokens.more ? <li class="more">{tokens.more}</li> : null}
      </ul>
    </section>
  );
}
