/** A token's claims, the first 200; time claims also as dates. */
import { Clip } from '../components/clip.js';
import { claimValue } from '../format.js';
import { AudienceList } from './audience-list.js';

/** `expected`: the audience this token should name (its resource server; the client id for an ID token). */
export function ClaimsTable({ claims, expected }: { claims: Record<string, unknown>; expected: string | null }) {
  return (
    <table class="claims">
      <tbody>
        {Object.entries(claims)
          .slice(0, 200)
          .map(([name, value]) => (
            <tr key={name}>
              <th scope="row">
                <Clip text={name} max={80} />
              </th>
              <td>
                {name === 'aud' ? <AudienceList audience={value} expected={expected} /> : <Clip text={claimValue(name, value)} max={400} />}
              </td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
