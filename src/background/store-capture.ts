/** The one way a capture is stored, whichever source saw it (page hook, DevTools, Firefox filter). */
import type { CapturedExchange } from '../core/types.js';
import type { CaptureEvidence } from '../protocol/page-exchange.js';
import type { CaptureInfo } from '../protocol/view-state.js';
import { badgeAfterCapture, updateAllBadges } from './badge.js';
import type { WorkerDeps } from './deps.js';
import { exchangeKey } from './store.js';

/**
 * Store the exchange under its dedupe key (merged with the same exchange from another source), then update the
 * tab's badge. Resolves only once the exchange is in storage.session: the page side resends until then, so the
 * answer is the acknowledgement. `captureId` names a capture across resends: the same id in the same tab is stored once.
 * `evidence`: the relay's evidence for earlier captures of the same tab, upgraded in the same write (store.ts `add`).
 */
export async function storeCapture(
  deps: WorkerDeps,
  exchange: CapturedExchange,
  capture: CaptureInfo,
  captureId: string | null = null,
  evidence: readonly CaptureEvidence[] = [],
): Promise<{ stored: true }> {
  const stored = { key: exchangeKey(exchange), capture, exchange, ...(captureId ? { captureIds: [captureId] } : {}) };
  await deps.store.add(stored, evidence);
  // Bearer uses of its tokens that came first (the page called its API at once) are held: they count from now on.
  if ((await deps.bearer.release(stored)) > 0) {
    deps.cache.invalidate();
    await updateAllBadges(deps);
  } else await badgeAfterCapture(deps, capture.tabId);
  return { stored: true };
}
