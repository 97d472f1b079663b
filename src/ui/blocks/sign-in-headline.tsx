/**
 * A sign-in at a glance, above the exchanges: what the authorization request asked for, the
 * consent result, and per resource server requested vs granted. A scope requested for a server
 * that got no token, and a refusal, are said in the headline itself, never folded away.
 */
import type { ComponentChildren } from 'preact';
import { consentResult, joinedByText } from '../../core/format/sign-ins.js';
import type { TokenMap } from '../../core/analysis/token-map.js';
import type { DiscoveryReport, SignInReport, SignInServer } from '../../core/sign-in/types.js';
import { useCapped } from '../components/capped.js';
import { Clip } from '../components/clip.js';
import { FindingItem } from './finding-item.js';
import { SignInMap } from './sign-in-map.js';

function ServerRow({ server }: { server: SignInServer }) {
  const entries = [
    ...server.granted.map((scope) => ({ scope, granted: true })),
    ...server.dropped.map((scope) => ({ scope, granted: false })),
  ];
  const { shown, more } = useCapped(entries, 'scopes');
  return (
    <li class={server.hasToken ? 'sign-in-server' : 'sign-in-server no-token'}>
      <strong>
        <Clip text={server.id} max={160} />
      </strong>
      {server.hasToken ? null : <span class="sign-in-alert"> no token issued</span>}
      <ul class="scopes" aria-label="Requested and granted scopes">
        {shown.map(({ scope, granted }) =>
          granted ? (
            <li key={`g-${scope}`} class="scope" title="granted">
              <Clip text={scope} max={160} />
            </li>
          ) : (
            <li key={`d-${scope}`} class="scope dropped" title="requested, not granted">
              <del>
                <Clip text={scope} max={160} />
              </del>{' '}
              not granted
            </li>
          ),
        )}
        {more ? <li class="more">{more}</li> : null}
      </ul>
    </li>
  );
}

/**
 * Requested vs granted per resource server, and the sign-in's findings above info, in words: a scope
 * asked for a server that got no token is said here, whether or not an authorization request was seen.
 */
export function SignInGaps({ signIn, rulesUrl, servers }: { signIn: SignInReport; rulesUrl: string; servers: readonly SignInServer[] }) {
  const shown = signIn.findings.filter((finding) => finding.severity !== 'info');
  const rows = useCapped(servers, 'resource servers');
  return (
    <>
      {servers.length ? (
        <ul class="sign-in-servers" aria-label="Requested vs granted per resource server">
          {rows.shown.map((server) => (
            <ServerRow key={server.id} server={server} />
          ))}
          {rows.more ? <li class="more">{rows.more}</li> : null}
        </ul>
      ) : null}
      {shown.length ? (
        <ul class="findings">
          {shown.map((finding, index) => (
            <FindingItem key={`${finding.rule}-${index}`} finding={finding} rulesUrl={rulesUrl} />
          ))}
        </ul>
      ) : null}
    </>
  );
}

/** The server the sign-in is for, as its own protected-resource metadata names it (RFC 9728): an MCP server's way. */
function ProtectedResource({ discovery }: { discovery: DiscoveryReport }) {
  if (!discovery.resource) return null;
  return (
    <p class="sign-in-resource">
      {discovery.mcp ? 'MCP server ' : 'Protected resource '}
      <strong>
        <Clip text={discovery.resource} max={160} />
      </strong>
      {discovery.resourceName ? (
        <>
          {' '}
          (<Clip text={discovery.resourceName} max={80} />)
        </>
      ) : null}
      <span class="muted"> · named by its own metadata (RFC 9728)</span>
    </p>
  );
}

/**
 * One sign-in's headline: the endpoint, its map, the consent result and client, requested vs granted, its findings above
 * info, then `children` (the timeline).
 */
export function SignInHeadline({
  signIn,
  rulesUrl,
  map,
  children,
}: {
  signIn: SignInReport;
  rulesUrl: string;
  map: TokenMap | null;
  children?: ComponentChildren;
}) {
  const request = signIn.authorization;
  const refused = signIn.response?.outcome === 'error';
  const discovery = signIn.discovery;
  // RFC 7591: a client that registered itself is labelled by its client_name, not only by the id it was given.
  const registered = discovery?.client;
  const clientName =
    registered && (registered.clientId === null || registered.clientId === request?.clientId) ? registered.clientName : null;
  return (
    <section id={`sign-in-${signIn.id}`} class="sign-in" aria-label="Sign-in">
      <h2>
        Sign-in{request ? ' at ' : ' back at '}
        <Clip text={request?.endpoint ?? signIn.response?.redirectUri ?? ''} max={120} />
      </h2>
      {map && (map.scopes.length > 0 || map.tokens.length > 0) ? <SignInMap map={map} label="Map of this sign-in" /> : null}
      {discovery ? <ProtectedResource discovery={discovery} /> : null}
      <p class={refused ? 'sign-in-result sign-in-alert' : 'sign-in-result'}>
        Consent result: <Clip text={consentResult(signIn)} max={300} />
        <span class="muted"> · {joinedByText(signIn)}</span>
      </p>
      {request?.scopes.length ? (
        <p class="muted">
          Asked for <Clip text={request.scopes.join(' ')} max={400} />
          {request.clientId ? (
            <>
              {' '}
              by client{' '}
              {clientName ? (
                <>
                  <strong class="client-name">
                    <Clip text={clientName} max={80} />
                  </strong>{' '}
                  (<Clip text={request.clientId} max={80} />)
                </>
              ) : (
                <Clip text={request.clientId} max={80} />
              )}
            </>
          ) : null}
          {request.via === 'par' ? ', in a pushed authorization request' : null}
        </p>
      ) : null}
      <SignInGaps
        signIn={signIn}
        rulesUrl={rulesUrl}
        // A server with no scope to say (the client, under which the ID tokens are filed) has no row here: the map shows it.
        servers={signIn.resourceServers.filter((server) => !server.hasToken || server.granted.length + server.dropped.length > 0)}
      />
      {signIn.notes.length ? (
        <ul class="sign-in-notes" aria-label="What was and was not visible">
          {signIn.notes.map((note, index) => (
            <li key={index} class="muted">
              <Clip text={note} max={400} />
            </li>
          ))}
        </ul>
      ) : null}
      {children}
    </section>
  );
}
