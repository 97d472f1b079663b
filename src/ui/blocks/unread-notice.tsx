/**
 * Token calls of this tab that Tokenscope knows of and could not read (protocol/unread.ts), said plainly: where
 * each went and when, from which kind of context, and what gets it. Values are rendered as text.
 */
import type { UnreadToken } from '../../protocol/unread.js';
import { Notice } from '../components/notice.js';

const time = (at: string) => new Date(at).toLocaleTimeString();

function contextName(item: UnreadToken): string {
  const script =
    item.where === 'data:' ? 'a data: URL' : item.where === 'blob:' ? 'a blob: URL made before Tokenscope was there' : item.where;
  if (item.context === 'worker') return `a Web Worker started from ${script}`;
  if (item.context === 'shared-worker') return `a shared worker (${script})`;
  return `the site's service worker (${script})`;
}

/** What reads a worker's token calls, by kind of worker. */
function remedy(contexts: readonly UnreadToken[]): string {
  const dedicated = contexts.some((c) => c.context === 'worker');
  const others = contexts.some((c) => c.context !== 'worker');
  const parts: string[] = [];
  if (dedicated)
    parts.push(
      "a dedicated worker's calls: open the DevTools panel (Tokenscope tab) on this tab before they are made (the tab's network log holds them), or use Firefox, whose response filter reads them",
    );
  if (others)
    parts.push(
      "a shared or service worker's calls belong to no tab (not even Firefox's filter sees them): save a HAR from that worker's own DevTools (chrome://inspect) and import it here or run the tokenscope CLI on it",
    );
  return `What gets them: ${parts.join('; ')}.`;
}

/** The requests seen and not read. */
export function UnreadRequests({ requests }: { requests: readonly UnreadToken[] }) {
  if (requests.length === 0) return null;
  const before = requests.some((r) => r.beforeWatching);
  return (
    <Notice tone="warn">
      <p>
        Seen, not readable: {requests.length === 1 ? 'a token request' : `${requests.length} token requests`} of this tab whose response
        Tokenscope did not read:
      </p>
      <ul class="unread-list">
        {requests.map((r, index) => (
          <li key={index}>
            <code>{r.where}</code> at {time(r.at)}, from the page{r.beforeWatching ? ', before Tokenscope watched it' : ''}
          </li>
        ))}
      </ul>
      <p class="muted">
        {before ? 'A request made before Tokenscope watched the page cannot be read afterwards: reload and sign in again. ' : ''}
        What gets a response Tokenscope missed: the DevTools panel (Tokenscope tab) open on this tab during the call, Firefox (its response
        filter reads a watched tab's token responses), or a HAR saved with content and imported here.
      </p>
    </Notice>
  );
}

/**
 * The contexts whose token calls cannot be seen. `heldBy`: the SDKs whose service worker holds tokens of this view
 * (their placeholders were in the page's responses): the page's side of those calls is in view, the worker's own call
 * to the token endpoint is not, and the notice says so instead of "not in this view".
 */
export function UnreadContexts({ contexts, heldBy = [] }: { contexts: readonly UnreadToken[]; heldBy?: readonly string[] }) {
  if (contexts.length === 0) return null;
  const holding = heldBy.length > 0 && contexts.some((c) => c.context === 'service-worker');
  return (
    <Notice>
      <p>This page runs contexts whose token calls Tokenscope cannot see in this browser:</p>
      <ul class="unread-list">
        {contexts.map((c, index) => (
          <li key={index}>
            {contextName(c)}, seen {time(c.at)}
          </li>
        ))}
      </ul>
      <p class="muted">
        {holding
          ? `The site's service worker holds the tokens of the calls shown here (${heldBy.join(', ')}): the page's side of each call is in this view, with the worker's placeholders where the tokens were; the worker's own calls to the token endpoint, with the real tokens, are not. `
          : 'If they make token calls, those are not in this view. '}
        {remedy(contexts)}
      </p>
    </Notice>
  );
}
