/**
 * The popup's boot script: a classic script in popup.html's head, a few hundred bytes, run while the page is parsed.
 * It asks the worker for the first view at once and leaves the request for the popup's module (early-view.ts), which
 * loads meanwhile. It talks to the runtime directly (no polyfill: `browser` in Firefox, `chrome` in Chromium MV3, both
 * returning promises) and never throws into the page: a failed request is the module's to show, as any other.
 */
import type { ViewState } from '../../protocol/view-state.js';
import { tabFromQuery } from '../tab-param.js';
import { FIRST_SHOWN } from '../view-limits.js';
import { EARLY_VIEW, type EarlyView } from './early-view.js';

interface Runtime {
  sendMessage(message: unknown): Promise<unknown>;
}
interface Tabs {
  query(query: { active: boolean; currentWindow: boolean }): Promise<Array<{ id?: number }>>;
}
type Api = { runtime?: Runtime; tabs?: Tabs };

const scope = globalThis as unknown as { browser?: Api; chrome?: Api };
const api = typeof scope.browser?.runtime?.sendMessage === 'function' ? scope.browser : scope.chrome;

if (api?.runtime && api.tabs) {
  const { runtime, tabs } = api as Required<Api>;
  const requested = tabFromQuery(location.search);
  const tabId =
    requested !== null
      ? Promise.resolve(requested)
      : tabs.query({ active: true, currentWindow: true }).then(([active]) => active?.id ?? null);
  const view = tabId.then((id) => runtime.sendMessage({ type: 'get-view', tabId: id, limit: FIRST_SHOWN }) as Promise<ViewState>);
  view.catch(() => {}); // Handled by the module; not an unhandled rejection meanwhile.
  const early: EarlyView = { tabId, view, limit: FIRST_SHOWN };
  (globalThis as unknown as Record<symbol, EarlyView>)[EARLY_VIEW] = early;
}
