/**
 * The front channel (sign-in steps) as a watched document sees it, at no per-request cost:
 * - at document_start, the document's own URL when it carries an authorization response (`code`, `error`
 *   or `state` in its query or fragment): one look at `location`, once per document;
 * - the navigations this document starts (`location.assign/replace/href`, link clicks, form submits), read
 *   from the Navigation API's `navigate` event where the browser has one (Chromium): only navigations
 *   whose URL looks like an authorization request (`response_type` and `client_id`) are reported;
 * - `window.open` (login with popup), wrapped: the same test on its URL.
 *
 * The first two run in the relay (isolated world, `watchDocument`): the relay hands the step to the runtime
 * inside the event's own dispatch, so a document that unloads a few milliseconds later (an authorization
 * server on the same machine answers that fast; a callback page closes its popup at once) has already sent
 * it. Reported from the page hook, the step needed a hop over the hook's private port first, and that hop
 * was lost when the document went first. `window.open` must be wrapped where the page calls it, in the page
 * hook (`wrapOpen`); the opener stays, so the hop is safe there.
 * The core reads each step (sign-in/steps.ts); a step is never trusted beyond 'page-reported'. A hidden
 * iframe's authorize URL (silent renew) is not seen: an iframe's initial about:blank document fires no
 * `navigate` event, its `src` is set in page JS (watching DOM writes costs every page), and SDKs remove the
 * iframe before it loads, so the page's Resource Timing has no entry for it (probed with oidc-client-ts).
 * Its answer on the redirect URI of the watched site is seen, by the relay in that frame.
 */
import { looksLikeAuthorizationRequest, looksLikeAuthorizationResponse } from '../core/front-channel-url.js';
import type { SignInStepSent } from '../protocol/channel.js';

export { looksLikeAuthorizationRequest, looksLikeAuthorizationResponse };

export type ReportStep = (step: SignInStepSent) => void;

export function frameOf(): SignInStepSent['frame'] {
  try {
    if (window.top !== window) return 'iframe';
    return window.opener ? 'popup' : 'top';
  } catch {
    return 'iframe'; // A cross-origin top throws on some reads: a frame.
  }
}

function step(url: string, frame: SignInStepSent['frame']): SignInStepSent {
  return { url, method: 'GET', at: new Date().toISOString(), frame };
}

function absolute(url: unknown): string | null {
  try {
    return new URL(String(url), document.baseURI).href;
  } catch {
    return null;
  }
}

interface NavigateEventLike {
  destination?: { url?: string };
}

/** The Navigation API (Chromium): one listener, called only when this document navigates. */
function watchNavigations(report: ReportStep): void {
  const navigation = (window as unknown as { navigation?: EventTarget }).navigation;
  if (!navigation || typeof navigation.addEventListener !== 'function') return;
  navigation.addEventListener('navigate', (event: Event) => {
    try {
      const url = (event as NavigateEventLike).destination?.url;
      if (typeof url === 'string' && looksLikeAuthorizationRequest(url)) report(step(url, frameOf()));
    } catch {
      // Never in the page's way.
    }
  });
}

/**
 * `window.open` as a Proxy of the original (page hook); returns the wrapper and the original, for the toString disguise.
 * Every call is said (`opened`, with its URL): the worker takes a new tab for this page's login popup only after one.
 * An authorization request opened this way is a step of this page's own tab (`report`), whoever opened this page.
 */
export function wrapOpen(
  report: (step: SignInStepSent, windowOpen: boolean) => void,
  opened: (url: string | null) => void,
): Array<[object, object]> {
  try {
    const original = window.open;
    if (typeof original !== 'function') return [];
    window.open = new Proxy(original, {
      apply(target, thisArg, args: unknown[]) {
        try {
          const url = args[0] === undefined || args[0] === '' ? null : absolute(args[0]);
          opened(url);
          if (url && looksLikeAuthorizationRequest(url)) report(step(url, 'popup'), true);
        } catch {
          // Never in the page's way.
        }
        return Reflect.apply(target, thisArg, args);
      },
    });
    return [[window.open, original]];
  } catch {
    return [];
  }
}

/**
 * Watch this document's front channel (relay): its own URL now, at document_start, before the page's scripts
 * can replace it, then the navigations it starts.
 */
export function watchDocument(report: ReportStep): void {
  try {
    const href = location.href;
    if (/^https?:/i.test(href) && looksLikeAuthorizationResponse(href)) report(step(href, frameOf()));
  } catch {
    // Never in the page's way.
  }
  try {
    watchNavigations(report);
  } catch {
    // Never in the page's way.
  }
}
