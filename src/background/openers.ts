/**
 * Which tab opened which: a login popup's steps are filed under the tab that opened it, where its code exchange
 * runs. The opener is remembered when the popup tab is created, because the callback page of a login popup
 * usually closes its window at once, and by the time its step is handled `tabs.get` has nothing to say.
 * In memory only (bounded): a worker stopped between a popup's creation and its callback falls back to `tabs.get`.
 */
import type { Browser } from 'webextension-polyfill';

const MAX_REMEMBERED = 200;

export class Openers {
  private readonly openerOf = new Map<number, number>();

  constructor(private readonly browser: Browser) {}

  /** Called from tabs.onCreated. */
  remember(tabId: number | undefined, openerTabId: number | undefined): void {
    if (typeof tabId !== 'number' || typeof openerTabId !== 'number' || openerTabId < 0) return;
    if (this.openerOf.size >= MAX_REMEMBERED) {
      const oldest = this.openerOf.keys().next().value;
      if (oldest !== undefined) this.openerOf.delete(oldest);
    }
    this.openerOf.set(tabId, openerTabId);
  }

  /** The tab that opened `tabId`, or `tabId` itself when none is known. */
  async of(tabId: number): Promise<number> {
    const remembered = this.openerOf.get(tabId);
    if (remembered !== undefined) return remembered;
    try {
      const opener = (await this.browser.tabs.get(tabId)).openerTabId;
      return typeof opener === 'number' && opener >= 0 ? opener : tabId;
    } catch {
      return tabId;
    }
  }
}
