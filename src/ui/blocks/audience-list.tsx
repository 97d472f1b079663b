/** A token's `aud` claim, each audience marked as the expected one or another. */
import { isSameServer } from '../../core/scopes.js';
import { useCapped } from '../components/capped.js';
import { Clip } from '../components/clip.js';

/** `expected`: the audience this token should name (its resource server; the client id for an ID token). */
export function AudienceList({ audience, expected }: { audience: unknown; expected: string | null }) {
  const { shown, more } = useCapped(Array.isArray(audience) ? audience : [audience], 'audiences');
  return (
    <ul class="aud-list">
      {shown.map((aud, index) => {
        const own = typeof aud === 'string' && expected !== null && isSameServer(aud, expected);
        return (
          <li key={index} class={own ? 'aud own' : 'aud other'} title={own ? 'the expected audience' : 'another audience'}>
            <Clip text={aud} max={200} />
          </li>
        );
      })}
      {more ? <li class="more">{more}</li> : null}
    </ul>
  );
}
