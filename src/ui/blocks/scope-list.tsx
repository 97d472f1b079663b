/** A resource server's scopes: granted ones, those granted but not requested (+), those requested but not granted (struck). */
import type { ResourceServerReport } from '../../core/types.js';
import { useCapped } from '../components/capped.js';
import { Clip } from '../components/clip.js';

/** The first scopes (granted, then requested and not granted), the rest a click away. */
export function ScopeList({ server }: { server: ResourceServerReport }) {
  const requested = server.requestedScopes;
  const honoured = server.honoured ?? [];
  const granted = [...server.scopes, ...honoured];
  // Sets: a response with 40,000 scopes is read in linear time.
  const grantedSet = new Set(granted);
  const requestedSet = new Set(requested);
  const honouredSet = new Set(honoured);
  const dropped = requested.filter((scope) => !grantedSet.has(scope));
  const entries = [...granted.map((scope) => ({ scope, granted: true })), ...dropped.map((scope) => ({ scope, granted: false }))];
  const { shown, more } = useCapped(entries, 'scopes');
  if (entries.length === 0) return <p class="muted">No scopes named.</p>;
  return (
    <ul class="scopes" aria-label="Scopes">
      {shown.map(({ scope, granted: isGranted }) => {
        if (!isGranted)
          return (
            <li key={`d-${scope}`} class="scope dropped" title="requested, not granted">
              <del>
                <Clip text={scope} max={160} />
              </del>
            </li>
          );
        const added = requested.length > 0 && !requestedSet.has(scope);
        const title = added
          ? 'granted, not requested'
          : honouredSet.has(scope)
            ? 'honoured by a token the response issued, not listed in its scope'
            : 'granted';
        return (
          <li key={`g-${scope}`} class={added ? 'scope added' : 'scope'} title={title}>
            {added ? '+ ' : ''}
            <Clip text={scope} max={160} />
          </li>
        );
      })}
      {more ? <li class="more">{more}</li> : null}
    </ul>
  );
}
