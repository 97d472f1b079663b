/**
 * One SDK flow over TLS as a table both browsers' tests read: the sites to serve, the app's steps, when the report is
 * complete, and what it must show. test/e2e/*-tls.spec.ts runs each flow in Chromium (chromium-run.ts, which also reads
 * the popup where a flow says what it must show), test/firefox/*-tls.test.ts in Firefox (firefox-run.ts).
 */
import assert from 'node:assert/strict';
import type { Report } from '../../../src/core/types.js';
import type { ViewState } from '../../../src/protocol/view-state.js';
import { type Check, failing, findingsAtOrOverLow } from '../checks/report.js';
import { outline, outlineWithCapture, reportWhen } from '../report-checks.js';
import type { SiteHandler, TlsHosts } from '../server.js';

/** Click `selector` (null: nothing, the app acts on load), then wait for the app's `#status` to read `status`. */
export type TlsStep = readonly [selector: string | null, status: string];

/** What the user sees in the popup: the resource servers' names, and how many findings of each severity. */
export interface PopupShown {
  servers: string[];
  findings: Record<'high' | 'medium' | 'low', number>;
}

export interface TlsFlow<R = unknown> {
  title: string;
  /** The provider-shaped sites, and what they record of the SDK's calls. */
  sites(): { sites: Record<string, SiteHandler>; record: R };
  appHost: string;
  steps: readonly TlsStep[];
  /** The report is read once `until` holds (captures land a little after the page's call): `what` names it on a time-out. */
  wait: { what: string | ((report: Report) => string); until(report: Report): boolean };
  /**
   * What the report (and the sites' record, and the rest of the tab's view) must show, in node:assert; `why` (the
   * report's outline) goes beside each failure.
   */
  check(report: Report, record: R, why: string, view: ViewState): void;
  /** Chromium: the popup, read once `names` are shown. */
  popup?: { names: readonly string[]; check(shown: PopupShown): void };
}

/** A flow, its record's type kept for `check`, as an entry of a table of flows. */
export const flow = <R>(f: TlsFlow<R>): TlsFlow => f as TlsFlow;

/** The wait and the check of a flow whose expectations are a list of checks (checks/): every one passes. */
export function allPass(checks: readonly Check[]): Pick<TlsFlow, 'wait' | 'check'> {
  const still = (report: Report) => failing(checks, report);
  return {
    wait: {
      what: (report) => `every check to pass; still failing: ${still(report).join('; ')}; ${findingsAtOrOverLow(report).join('; ')}`,
      until: (report) => still(report).length === 0,
    },
    check: (report, _record, why) => assert.deepEqual(still(report), [], why),
  };
}

/** What a browser's runner gives a flow: the app's tab on the TLS server, and its view as the popup gets it. */
export interface TlsApp {
  tls: TlsHosts;
  tabId: number;
  view(): Promise<ViewState>;
}

/** A browser's runner: serve `sites`, open `https://<appHost>/` in the browser, take `steps`, hand `work` the app, close all. */
export type WithApp<A extends TlsApp> = (
  sites: Record<string, SiteHandler>,
  appHost: string,
  steps: readonly TlsStep[],
  work: (app: A) => Promise<void>,
) => Promise<void>;

/** Run `flow` in a browser (`withApp`): its steps, the report waited for and checked, then `more` on the app. */
export function runFlow<A extends TlsApp>(flow: TlsFlow, withApp: WithApp<A>, more?: (app: A) => Promise<void>): Promise<void> {
  const { sites, record } = flow.sites();
  return withApp(sites, flow.appHost, flow.steps, async (app) => {
    const report = await reportWhen(app, flow.wait.what, flow.wait.until);
    flow.check(report, record, outline(report), await app.view());
    await more?.(app);
    // TLS_OUTLINE=1: print what the report ended with (for reading what a run captured, e.g. for the README).
    if (process.env.TLS_OUTLINE) console.log(outlineWithCapture(await app.view()));
  });
}
