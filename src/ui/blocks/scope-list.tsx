/** A resource server's scopes: granted ones, those granted but not requested (+), those requested but not granted (struck). */
import type { ResourceServerReport } from '../../core/types.js';
import { Clip } from '../components/clip.js';

export function ScopeList({ server }: { server: ResourceServerReport }) {
  const requested = server.requestedScopes;
  const honoured = server.honoured ?? [];
  const granted = [...server.scopes, ...honoured];
  const dropped = requested.filter((scope) => !granted.includes(scope));
  if (granted.length === 0 && dropped.length === 0) return <p class="muted">No scopes named.</p>;
  return (
    <ul class="scopes" aria-label="Scopes">
      {granted.map((scope) => {
        const added = requested.length > 0 && !requested.includes(scope);
        const title = added
          ? 'granted, not requested'
          : honoured.includes(scope)
            ? 'honoured by a token the response issued, not listed in its scope'
            : 'granted';
        return (
          <li key={`g-${scope}`} class={added ? 'scope added' : 'scope'} title={title}>
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
