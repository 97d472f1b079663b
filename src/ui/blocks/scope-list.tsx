/** A resource server's scopes: granted ones, those granted but not requested (+), those requested but not granted (struck). */
import type { ResourceServerReport } from '../../core/types.js';
import { Clip } from '../components/clip.js';

export function ScopeList({ server }: { server: ResourceServerReport }) {
  const requested = server.requestedScopes;
  const granted = server.scopes;
  const dropped = requested.filter((scope) => !granted.includes(scope));
  if (granted.length === 0 && dropped.length === 0) return <p class="muted">No scopes named.</p>;
  return (
    <ul class="scopes" aria-label="Scopes">
      {granted.map((scope) => {
        const added = requested.length > 0 && !requested.includes(scope);
        return (
          <li key={`g-${scope}`} class={added ? 'scope added' : 'scope'} title={added ? 'granted, not requested' : 'granted'}>
            {added ? '+ ' : ''}
            <Clip text={scope} max={160} />
          </li>
        );
      })}
      {dropped.map((scope) => (
        <li key={`d-${scope}`} class="scope dropped" title="requested, not granted">
          <del>
            <Clip text={scope} max={160} />
          </del>
        </li>
      ))}
    </ul>
  );
}
