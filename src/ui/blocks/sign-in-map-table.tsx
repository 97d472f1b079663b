/**
 * The sign-in map in rows, its text alternative: one row per resource server, its requested
 * scopes (those no token carries marked), its tokens, and where a token also reaches. Closed at
 * first, and made only when opened (`LazyDetails`): the popup's first screen draws the map at once,
 * and the rows of a table nobody opened were a fifth of its elements.
 */
import type { MapScope, MapServer, TokenMap } from '../../core/analysis/token-map.js';
import { useCapped } from '../components/capped.js';
import { Clip } from '../components/clip.js';
import { LazyDetails } from '../components/lazy-details.js';

export function MapTable({ map }: { map: TokenMap }) {
  return (
    <LazyDetails className="map-table" summary="The map as a table">
      {() => <MapRows map={map} />}
    </LazyDetails>
  );
}

/** A server's authorization details (RFC 9396) under its scopes: granted, not granted (marked), not requested (+). */
function ServerRights({ server }: { server: MapServer }) {
  const rights = server.rights;
  if (!rights) return null;
  return (
    <>
      {rights.granted.map((line) => (
        <div key={`r-${line}`}>
          <Clip text={line} max={300} />
        </div>
      ))}
      {rights.dropped.map((line) => (
        <div key={`d-${line}`} class="map-missing-text">
          <Clip text={line} max={300} />
        </div>
      ))}
      {rights.added.map((line) => (
        <div key={`a-${line}`}>
          + <Clip text={line} max={300} />
        </div>
      ))}
    </>
  );
}

/** The rows themselves (tests render them without opening anything). */
/** One cell's scopes: the first ones, the rest a click away; `marked`: those no token carries are said so. */
function ScopeCell({ scopes, marked }: { scopes: readonly MapScope[]; marked: boolean }) {
  const { shown, more } = useCapped(scopes, 'scopes');
  return (
    <>
      {shown.map((scope) => (
        <div key={scope.scope} class={scope.granted || !marked ? undefined : 'map-missing-text'}>
          <Clip text={scope.scope} max={300} />
          {scope.granted || !marked ? '' : ' (no token carries it)'}
        </div>
      ))}
      {more}
    </>
  );
}

export function MapRows({ map }: { map: TokenMap }) {
  const unmapped = map.scopes.filter((scope) => scope.server === null);
  const scopesOf = new Map<string, MapScope[]>();
  for (const scope of map.scopes) {
    if (scope.server === null) continue;
    const list = scopesOf.get(scope.server);
    if (list) list.push(scope);
    else scopesOf.set(scope.server, [scope]);
  }
  return (
    <table>
      <caption class="visually-hidden">Requested scopes, resource servers and tokens of this sign-in</caption>
      <thead>
        <tr>
          <th scope="col">Resource server</th>
          <th scope="col">Scopes</th>
          <th scope="col">Tokens</th>
          <th scope="col">Also reaches</th>
        </tr>
      </thead>
      <tbody>
        {map.servers.map((server) => {
          const tokens = map.tokens.filter((token) => token.server === server.id);
          const reaches = map.reaches.filter((reach) => tokens.some((token) => token.fingerprint === reach.token));
          return (
            <tr key={server.id}>
              <th scope="row">
                <Clip text={server.id} max={300} />
                {server.outside ? ' (not in this sign-in)' : ''}
              </th>
              <td>
                <ScopeCell scopes={scopesOf.get(server.id) ?? []} marked />
                <ServerRights server={server} />
              </td>
              <td>
                {tokens.length === 0 && !server.outside ? <span class="map-missing-text">none issued</span> : null}
                {tokens.map((token) => (
                  <div key={token.fingerprint}>
                    {token.kind} ({token.format}
                    {!token.verifiable && token.kind === 'access' ? ', audience unverifiable' : ''})
                  </div>
                ))}
              </td>
              <td>
                {reaches.map((reach) => (
                  <div key={`${reach.token}-${reach.server}-${reach.rule}`} class="map-missing-text">
                    <Clip text={reach.server} max={300} /> ({reach.rule}, {reach.severity})
                  </div>
                ))}
              </td>
            </tr>
          );
        })}
        {unmapped.length ? (
          <tr>
            <th scope="row">no server known</th>
            <td>
              <ScopeCell scopes={unmapped} marked={false} />
            </td>
            <td />
            <td />
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
