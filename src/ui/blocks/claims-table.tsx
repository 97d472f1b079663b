/** A token's claims, the first 200; time claims also as dates. */
import { Clip } from '../components/clip.js';
import { NameValueTable } from '../components/name-value-table.js';
import { claimValue } from '../format.js';
import { AudienceList } from './audience-list.js';

/** `expected`: the audience this token should name (its resource server; the client id for an ID token). */
export function ClaimsTable({ claims, expected }: { claims: Record<string, unknown>; expected: string | null }) {
  return (
    <NameValueTable
      entries={claims}
      limit={200}
      renderValue={(name, value) =>
        name === 'aud' ? <AudienceList audience={value} expected={expected} /> : <Clip text={claimValue(name, value)} max={400} />
      }
    />
  );
}
