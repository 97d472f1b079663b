/**
 * Watched sites = the host permissions the user granted. The page hook and its
 * relay are registered for exactly those, kept in step on every grant, removal
 * and worker start (also when the user changes site access on the browser's
 * extensions page). Nothing is observed anywhere else.
 */
import type { Browser, Scripting } from 'webextension-polyfill';
import { matchesPattern } from '../core/match-pattern.js';
import { SerialQueue } from '../core/serial-queue.js';

export const HOOK_ID = 'tokenscope-page-hook';
export const RELAY_ID = 'tokenscope-relay';

/** The http(s) origins patterns the user granted (a test build's manifest hosts count as granted). */
export async function grantedOrigins(browser: Browser): Promise<string[]> {
  const { origins = [] } = await browser.permissions.getAll();
  return origins.filter((origin) => /^(\*|https?):\/\//.test(origin) || origin === '<all_urls>').sort();
}

export function isWatched(origins: readonly string[], url: string): boolean {
  return origins.some((pattern) => matchesPattern(pattern, url));
}

/**
 * The granted origins, kept in memory and followed through the permission events (which also fire when the user
 * changes site access on the browser's extensions page). Every capture checks its page against them: asking the
 * browser each time (`permissions.getAll`, a round trip to the browser process) was a tenth of the worker's work per
 * capture in the page-overhead benchmark. A removal takes effect at once, before the list is read again. The
 * listeners are added in the constructor, which init.ts calls synchronously, as MV3 requires.
 */
export class GrantedOrigins {
  private list: string[] | null = null;
  private generation = 0;
  /** The newest reading of the list, until it is in. */
  private reading: Promise<void> | null = null;
  /** Resolves once the list was first read. */
  readonly ready: Promise<void>;

  constructor(private readonly browser: Browser) {
    this.ready = this.refresh();
    browser.permissions.onAdded.addListener(() => void this.refresh());
    browser.permissions.onRemoved.addListener((removed) => {
      const gone = new Set(removed.origins ?? []);
      if (this.list) this.list = this.list.filter((origin) => !gone.has(origin));
      void this.refresh();
    });
  }

  private refresh(): Promise<void> {
    const mine = ++this.generation;
    const reading = grantedOrigins(this.browser).then(
      (granted) => {
        if (mine === this.generation) this.list = granted;
      },
      () => {
        if (this.list === null) this.list = [];
      },
    );
    this.reading = reading.finally(() => {
      if (mine === this.generation) this.reading = null;
    });
    return reading;
  }

  /** Whether the list was read (before that, `now` knows nothing). */
  get known(): boolean {
    return this.list !== null;
  }

  /** The list as known now (empty before the first read). */
  now(): readonly string[] {
    return this.list ?? [];
  }

  /** The list, once read (after a permission change, once read again). */
  async current(): Promise<readonly string[]> {
    while (this.reading) await this.reading;
    return this.list ?? [];
  }
}

/** The granted origins: the worker's kept list (`deps.origins`). */
export function watchedOrigins(deps: { origins: GrantedOrigins }): Promise<readonly string[]> {
  return deps.origins.current();
}

function scriptsFor(matches: string[]): Scripting.RegisteredContentScript[] {
  // matchOriginAsFallback: also the about:blank, srcdoc and blob: frames a watched page makes (their origin is its own).
  const frames = { allFrames: true, matchOriginAsFallback: true };
  return [
    // MAIN world, document_start: before the page's own scripts capture fetch/XHR.
    { id: HOOK_ID, js: ['page-hook.js'], matches, runAt: 'document_start', ...frames, world: 'MAIN', persistAcrossSessions: true },
    { id: RELAY_ID, js: ['relay.js'], matches, runAt: 'document_start', ...frames, persistAcrossSessions: true },
  ] as Scripting.RegisteredContentScript[];
}

const syncs = new SerialQueue();

/** Make the registrations match the granted origins. Serialized: grants and removals can arrive together. */
export function syncRegistrations(browser: Browser): Promise<string[]> {
  return syncs.run(async () => {
    const origins = await grantedOrigins(browser);
    const registered = await browser.scripting.getRegisteredContentScripts({ ids: [HOOK_ID, RELAY_ID] });
    const current = registered[0]?.matches?.slice().sort() ?? [];
    const upToDate = registered.length === 2 && current.join('\n') === origins.join('\n');
    if (upToDate) return origins;
    if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: registered.map((script) => script.id) });
    if (origins.length > 0) await browser.scripting.registerContentScripts(scriptsFor(origins));
    return origins;
  });
}

/** Put the hook into tabs already open on newly granted sites, so the user need not reload. Resolves to those tabs' ids. */
export async function injectIntoOpenTabs(browser: Browser, origins: readonly string[]): Promise<number[]> {
  if (origins.length === 0) return [];
  const tabs = await browser.tabs.query({ url: [...origins] });
  await Promise.all(
    tabs.map(async (tab) => {
      if (tab.id === undefined) return;
      const target = { tabId: tab.id, allFrames: true };
      try {
        await browser.scripting.executeScript({
          target,
          files: ['page-hook.js'],
          world: 'MAIN',
          injectImmediately: true,
        } as Scripting.ScriptInjection);
        await browser.scripting.executeScript({ target, files: ['relay.js'], injectImmediately: true } as Scripting.ScriptInjection);
      } catch {
        // A tab we cannot script (the store, an error page): the registration covers its next load.
      }
    }),
  );
  return tabs.flatMap((tab) => (tab.id === undefined ? [] : [tab.id]));
}
