/**
 * A resource server's authorization details (RFC 9396) beside its scopes: each granted detail, each right requested and
 * not granted (struck), each granted and not requested (+), as the core words them (format/authorization-details.ts).
 * Text only, capped like scopes.
 */
import { authorizationDetailsWords } from '../../core/format/authorization-details.js';
import type { ResourceServerReport } from '../../core/types.js';
import { Clip } from '../components/clip.js';

export function AuthorizationDetailsList({ server }: { server: ResourceServerReport }) {
  if (!server.authorizationDetails) return null;
  const words = authorizationDetailsWords(server.authorizationDetails);
  return (
    <ul class="scopes details" aria-label="Authorization details" title={`Authorization details (RFC 9396), granted ${words.from}`}>
      {words.granted.map((line, index) => (
        <li key={`g-${index}`} class="scope detail" title="granted">
          <Clip text={line} max={200} />
        </li>
      ))}
      {words.dropped.map((line, index) => (
        <li key={`d-${index}`} class="scope detail dropped" title="requested, not granted">
          <del>
            <Clip text={line} max={200} />
          </del>
        </li>
      ))}
      {words.added.map((line, index) => (
        <li key={`a-${index}`} class="scope detail added" title="granted, not requested">
          {'+ '}
          <Clip text={line} max={200} />
        </li>
      ))}
      {words.granted.length + words.dropped.length + words.added.length === 0 ? (
        <li class="scope detail muted">authorization details: {words.from}</li>
      ) : null}
    </ul>
  );
}
