/**
 * The page hook's view of the front channel (sign-in steps), at no per-request cost:
 * - at document_start, the document's own URL when it carries an authorization response (`code`, `error`
 *   or `state` in its query or fragment): one look at `location`, once per document;
 * - the navigations this document starts (`location.assign/replace/href`, link clicks, form submits), read
 *   from the Navigation API's `navigate` event where the browser has one (Chromium): only navigations
 *   whose URL looks like an authorization request (`response_type` and `client_id`) are reported;
 * - `window.open` (login with popup), wrapped: the same test on its URL.
 * The core reads each step (sign-in/steps.ts); a step is never trusted beyond 'page-reported'. A hidden
 * iframe's authorize URL is not seen (watching DOM insertions costs every page); its response, on the
 * redirect URI of the watched site, is.
 */
import type { SignInStepSent } from '../protocol/channel.js';
import { postSignInStep } from './hook-port.js';

const RESPONSE_PARAMS = /(?:^|[?&#])(?:code|error|state)=/;
const REQUEST_PARAMS = /[?&]response_type=/;
const CLIENT_PARAMS = /[?&]client_id=/;

function frameOf(): SignInStepSent['frame'] {
  try {
    if (window.top !== window) return 'iframe';
    return window.opener ? 'popup' : 'top';
  } catch {
    return 'iframe'; // A cross-origin top throws on some reads: a frame.
  }
}

function report(url: string, frame: SignInStepSent['frame']): void {
  postSignInStep({ url, method: 'GET', at: new Date().toISOString(), frame });
}

/** Whether a URL can be an authorization request (the core decides for sure). */
export function looksLikeAuthorizationRequest(url: string): boolean {
  const query = url.split('#')[0] ?? '';
  return REQUEST_PARAMS.test(query) && CLIENT_PARAMS.test(query);
}

/** Whether a URL can be an authorization response (query or fragment). */
export function looksLikeAuthorizationResponse(url: string): boolean {
  const at = url.search(/[?#]/);
  return at >= 0 && RESPONSE_PARAMS.test(url.slice(at));
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
function watchNavigations(): void {
  const navigation = (window as unknown as { navigation?: EventTarget }).navigation;
  if (!navigation || typeof navigation.addEventListener !== 'function') return;
  navigation.addEventListener('navigate', (event: Event) => {
    try {
      const url = (event as NavigateEventLike).destination?.url;
      if (typeof url === 'string' && looksLikeAuthorizationRequest(url)) report(url, frameOf());
    } catch {
      // Never in the page's way.
    }
  });
}

/** `window.open` as a Proxy of the original; returns what the original returns. */
function wrapOpen(): [object, object] | null {
  const original = window.open;
  if (typeof original !== 'function') return null;
  window.open = new Proxy(original, {
    apply(target, thisArg, args: unknown[]) {
      try {
        const url = args[0] === undefined ? null : absolute(args[0]);
        if (url && looksLikeAuthorizationRequest(url)) report(url, 'popup');
      } catch {
        // Never in the page's way.
      }
      return Reflect.apply(target, thisArg, args);
    },
  });
  return [window.open, original];
}

/**
 * Start watching the front channel; returns the wrapper and its original (for the toString disguise), if any.
 * Reads the document's URL now: at document_start, before the page's scripts can replace it.
 */
export function watchFrontChannel(): Array<[object, object]> {
  try {
    const href = location.href;
    if (/^https?:/i.test(href) && looksLikeAuthorizationResponse(href)) report(href, frameOf());
  } catch {
    // Never in the page's way.
  }
  try {
    watchNavigations();
  } catch {
    // Never in the page's way.
  }
  try {
    const pair = wrapOpen();
    return pair ? [pair] : [];
  } catch {
    return [];
  }
}
