/**
 * What the views tests share: a watched tab's view of a report as the worker composes it, and the popup (`TabView`)
 * rendered from it in Node with actions that do nothing.
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Report } from '../../src/core/types.js';
import type { CaptureInfo, ViewState } from '../../src/protocol/view-state.js';
import { TabView } from '../../src/ui/blocks/tab-view.js';
import type { ViewActions } from '../../src/ui/hooks/use-actions.js';

export const VIEW_SITE = 'https://app.example.test';

/**
 * Tab 7's view of `report` on `site` (watched), at `tabUrl`; each exchange captured and verified, seen by `seenBy`
 * (null: no capture records). `fields` replace any of it.
 */
export function tabView(
  report: Report,
  {
    site = VIEW_SITE,
    tabUrl = `${site}/signed-in`,
    seenBy = ['page-hook'],
  }: { site?: string; tabUrl?: string; seenBy?: CaptureInfo['seenBy'] | null } = {},
  fields: Partial<ViewState> = {},
): ViewState {
  const captures: Record<string, CaptureInfo> = {};
  if (seenBy) for (const { id } of report.exchanges) captures[id] = { tabId: 7, site, seenBy, verification: 'verified' };
  return {
    tabId: 7,
    tabUrl,
    site,
    isWatched: true,
    watchedSites: [`${site}/*`],
    report,
    totalExchanges: report.exchanges.length,
    captures,
    dropped: 0,
    capacity: 200,
    notes: [],
    suggestedHosts: [],
    otherTabs: [],
    ...fields,
  };
}

/** Actions that do nothing: what the views call them with is not under test here. */
export const noActions = new Proxy({}, { get: () => () => undefined }) as ViewActions;

/** The popup's HTML for `view` (`importedFrom`: a file opened with "Import"). */
export function renderPopup(view: ViewState, importedFrom?: string): string {
  return renderToString(
    h(TabView, { view, mode: 'popup', rulesUrl: 'rules.html', importedFrom, actions: noActions, actionError: null, includeTokens: false }),
  );
}
