/** What the user can do from a view, each run through `act`: a refusal or a failure is said, not swallowed. */
import { useCallback, useState } from 'preact/hooks';
import { matchesPattern } from '../../core/match-pattern.js';
import type { Report } from '../../core/types.js';
import type { ViewState } from '../../protocol/view-state.js';
import { download } from '../download.js';
import { errorMessage } from '../format.js';
import type { ViewSource } from '../sources/view-source.js';

export type ExportFormat = 'json' | 'markdown';

/** Everything a view's buttons, links and inputs call. */
export interface ViewActions {
  watchSite(view: ViewState): void;
  stopWatchingSite(view: ViewState): void;
  watchHost(host: string): void;
  unwatch(pattern: string): void;
  /** The optional webNavigation permission: authorization requests of hidden iframes and login popups. */
  allowFrameNavigations(): void;
  clear(scope: 'tab' | 'all'): void;
  exportAs(format: ExportFormat): void;
  setIncludeTokens(include: boolean): void;
  importFile(file: File): void;
  cancelImport(): void;
  backToTab(): void;
  showOlder(): void;
}

/** Runs `action`; says `what` failed when it throws or the browser refuses (answers false). */
export type Act = (what: string, action: () => Promise<unknown>) => void;

/** Drop every watched pattern that covers the view's page; true when one was removed. */
function unwatchSite(source: ViewSource, view: ViewState): Promise<boolean> {
  const url = view.tabUrl ?? `${view.site}/`;
  const patterns = view.watchedSites.filter((pattern) => matchesPattern(pattern, url));
  return Promise.all(patterns.map((pattern) => source.unwatch(pattern))).then((removed) => removed.some(Boolean));
}

async function exportReport(active: ViewSource, format: ExportFormat, includeTokens: boolean): Promise<void> {
  const report: Report = await active.exportReport(includeTokens);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (format === 'json') download(`tokenscope-${stamp}.json`, 'application/json', `${JSON.stringify(report, null, 2)}\n`);
  else download(`tokenscope-${stamp}.md`, 'text/markdown', (await import('../../core/format/markdown.js')).toMarkdown(report));
}

/**
 * `source` is the tab's (watching, clearing); `active` the one shown (the tab's or an imported file's),
 * which exports. The import, back and paging actions are the caller's.
 */
export function useActions(source: ViewSource, active: ViewSource) {
  const [actionError, setActionError] = useState<string | null>(null);
  const [includeTokens, setIncludeTokens] = useState(false);

  const act: Act = useCallback((what, action) => {
    setActionError(null);
    action().then(
      (result) => {
        if (result === false) setActionError(`${what}: the browser did not allow it.`);
      },
      (reason: unknown) => setActionError(`${what}: ${errorMessage(reason)}`),
    );
  }, []);

  const actions: Omit<ViewActions, 'importFile' | 'cancelImport' | 'backToTab' | 'showOlder'> = {
    watchSite: (view) => act('Could not watch this site', () => source.watch(view.tabUrl ?? (view.site as string))),
    stopWatchingSite: (view) => act('Could not stop watching', () => unwatchSite(source, view)),
    watchHost: (host) => act(`Could not watch ${host}`, () => source.watch(host)),
    unwatch: (pattern) => act(`Could not stop watching ${pattern}`, () => source.unwatch(pattern)),
    allowFrameNavigations: () => act('Could not ask for the permission', () => source.allowFrameNavigations?.() ?? Promise.resolve(false)),
    clear: (scope) => act('Could not clear', () => source.clear(scope)),
    exportAs: (format) => act('Could not export', () => exportReport(active, format, includeTokens)),
    setIncludeTokens,
  };
  return { act, actionError, includeTokens, actions };
}
