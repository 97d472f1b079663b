/**
 * The view: one tab's token exchanges, grouped by resource server, findings
 * first. Fed by a ViewSource, so the popup, the DevTools panel, an imported
 * HAR and tests render the same components from different transports.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { matchesPattern } from '../core/match-pattern.js';
import type { ViewState } from '../protocol/view-state.js';
import type { Report } from '../core/types.js';
import { ExchangeCard, Guarded, Notice, TokenActionsContext } from './components.js';
import type { ViewSource } from './source.js';

export interface AppProps {
  source: ViewSource;
  /** Where rule explanations live (a page inside the extension). */
  rulesUrl: string;
  /** 'popup' or 'panel': the panel has room for more. */
  mode: 'popup' | 'panel';
}

/** Exchanges rendered at first; older ones on request ("Show older"): the popup must open fast on a full store. */
export const FIRST_SHOWN = 8;
const MORE_SHOWN = 50;

/** Imports larger than this are refused before reading: a HAR of a whole session is rarely bigger. */
const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

function summaryLine(view: ViewState): string {
  const { summary } = view.report;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(summary.exchanges, 'exchange')} · ${plural(summary.resourceServers, 'resource server')} · ${summary.findings.high} high, ${summary.findings.medium} medium, ${summary.findings.low} low`;
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function unwatchSite(source: ViewSource, view: ViewState): Promise<boolean> {
  const url = view.tabUrl ?? `${view.site}/`;
  const patterns = view.watchedSites.filter((pattern) => matchesPattern(pattern, url));
  return Promise.all(patterns.map((pattern) => source.unwatch(pattern))).then((removed) => removed.some(Boolean));
}

export function App({ source, rulesUrl, mode }: AppProps) {
  const [imported, setImported] = useState<ViewSource | null>(null);
  const active = imported ?? source;
  const [view, setView] = useState<ViewState | null>(null);
  const [shownCount, setShownCount] = useState(FIRST_SHOWN);
  const rendered = useRef(false);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [includeTokens, setIncludeTokens] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(() => {
    active.load(shownCount).then(
      (next) => {
        if (!rendered.current) performance.mark('tokenscope:view-loaded');
        setView(next);
        setError(null);
      },
      (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
    );
  }, [active, shownCount]);
  useEffect(() => {
    refresh();
    return active.subscribe(refresh);
  }, [active, refresh]);
  // The first full render, for the popup benchmark (scripts/bench/popup.ts) and anyone profiling.
  useEffect(() => {
    if (view && !rendered.current) {
      rendered.current = true;
      performance.mark('tokenscope:first-render');
    }
  }, [view]);

  /** Run a user action; a refusal (a required permission, a closed tab) is said, not swallowed. */
  const act = useCallback((what: string, action: () => Promise<unknown>) => {
    setActionError(null);
    action().then(
      (result) => {
        if (result === false) setActionError(`${what}: the browser did not allow it.`);
      },
      (reason: unknown) => setActionError(`${what}: ${reason instanceof Error ? reason.message : String(reason)}`),
    );
  }, []);

  const importFile = useCallback(
    (file: File) =>
      act(`Could not import ${file.name}`, async () => {
        if (file.size > MAX_IMPORT_BYTES) throw new Error(`the file is ${Math.round(file.size / 1048576)} MB, over the ${MAX_IMPORT_BYTES / 1048576} MB limit`);
        const { importedSource } = await import('./imported-source.js');
        const next = importedSource(file.name, await file.text());
        setView(null); // The next view is the file's: nothing of the previous one is shown meanwhile.
        setImported(next);
        setShownCount(FIRST_SHOWN);
      }),
    [act],
  );

  const exportAs = useCallback(
    (format: 'json' | 'markdown') =>
      act('Could not export', async () => {
        const report: Report = await active.exportReport(includeTokens);
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        if (format === 'json') download(`tokenscope-${stamp}.json`, 'application/json', `${JSON.stringify(report, null, 2)}\n`);
        else download(`tokenscope-${stamp}.md`, 'text/markdown', (await import('../core/format/markdown.js')).toMarkdown(report));
      }),
    [act, active, includeTokens],
  );

  const tokenActions = useMemo(() => ({ reveal: (exchangeId: string, fingerprint: string) => active.revealToken(exchangeId, fingerprint) }), [active]);

  const dropHandlers = {
    onDragOver: (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('Files')) return;
      event.preventDefault();
      setDragging(true);
    },
    onDragLeave: () => setDragging(false),
    onDrop: (event: DragEvent) => {
      event.preventDefault();
      setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file) importFile(file);
    },
  };

  if (error) return <Notice tone="warn">Tokenscope could not load this tab: {error}</Notice>;
  if (!view) return <p class={`loading app-${mode}`} aria-busy="true">Loading…</p>;

  const exchanges = view.report.exchanges;
  const watchable = view.site !== null && !active.importedFrom;
  return (
    <TokenActionsContext.Provider value={tokenActions}>
      <div class={`app app-${mode}${dragging ? ' dragging' : ''}`} {...dropHandlers}>
        <header class="bar">
          <h1>Tokenscope</h1>
          <span class="site" title={view.tabUrl ?? ''}>
            {active.importedFrom ? `Imported: ${active.importedFrom}` : (view.site ?? (view.tabId === null ? 'no tab' : 'this page'))}
          </span>
          {active.importedFrom ? (
            <button
              type="button"
              onClick={() => {
                setView(null);
                setImported(null);
              }}
            >
              Back to this tab
            </button>
          ) : watchable ? (
            view.isWatched ? (
              <span class="watching">
                Watching{' '}
                <button type="button" class="link" onClick={() => act('Could not stop watching', () => unwatchSite(source, view))}>
                  Stop watching
                </button>
              </span>
            ) : (
              <button type="button" class="primary" onClick={() => act('Could not watch this site', () => source.watch(view.tabUrl ?? (view.site as string)))}>
                Watch this site
              </button>
            )
          ) : null}
        </header>
        <main>
          {actionError ? <Notice tone="warn">{actionError}</Notice> : null}
          {view.notes.map((note, index) => (
            <Notice key={index} tone="warn">
              {note.message}
            </Notice>
          ))}
          {view.dropped > 0 ? (
            <Notice tone="warn">
              The store is full: {view.dropped} older exchange{view.dropped === 1 ? ' was' : 's were'} dropped (it keeps the last {view.capacity}). Clear
              some to keep new ones longer.
            </Notice>
          ) : null}
          {view.suggestedHosts.length > 0 ? (
            <Notice>
              This site talks to a token endpoint on {view.suggestedHosts.join(', ')}. Watch{' '}
              {view.suggestedHosts.map((host) => (
                <button key={host} type="button" class="link" onClick={() => act(`Could not watch ${host}`, () => source.watch(host))}>
                  {host}
                </button>
              ))}{' '}
              too, so its requests can be checked on the wire.
            </Notice>
          ) : null}
          {exchanges.length === 0 ? (
            active.importedFrom ? (
              <Notice>No token exchange in {active.importedFrom}.</Notice>
            ) : (
              <EmptyState view={view} />
            )
          ) : (
            <p class="summary">{summaryLine(view)}</p>
          )}
          <Guarded key={active.importedFrom ?? 'tab'}>
            {exchanges.map((exchange) => (
              <ExchangeCard key={exchange.id} exchange={exchange} capture={view.captures[exchange.id]} rulesUrl={rulesUrl} />
            ))}
          </Guarded>
          {view.totalExchanges > exchanges.length ? (
            <button type="button" class="more" onClick={() => setShownCount(shownCount + MORE_SHOWN)}>
              Show older exchanges ({view.totalExchanges - exchanges.length} more)
            </button>
          ) : null}
        </main>
        <footer class="foot">
          <fieldset class="actions">
            <legend class="visually-hidden">Report</legend>
            <button type="button" disabled={exchanges.length === 0} onClick={() => exportAs('json')}>
              Export JSON
            </button>
            <button type="button" disabled={exchanges.length === 0} onClick={() => exportAs('markdown')}>
              Export Markdown
            </button>
            <label class="check">
              <input type="checkbox" checked={includeTokens} onChange={(event) => setIncludeTokens((event.target as HTMLInputElement).checked)} /> include token values
            </label>
          </fieldset>
          <fieldset class="actions">
            <legend class="visually-hidden">Data</legend>
            <button type="button" onClick={() => fileInput.current?.click()}>
              Import HAR…
            </button>
            <input
              ref={fileInput}
              type="file"
              class="visually-hidden"
              accept=".har,.json,application/json,text/plain"
              aria-label="Import a HAR file, a token response or a report"
              tabIndex={-1}
              onChange={(event) => {
                const input = event.target as HTMLInputElement;
                const file = input.files?.[0];
                if (file) importFile(file);
                input.value = '';
              }}
            />
            {!active.importedFrom ? (
              <>
                <button type="button" disabled={exchanges.length === 0} onClick={() => act('Could not clear', () => source.clear('tab'))}>
                  Clear this tab
                </button>
                <button type="button" onClick={() => act('Could not clear', () => source.clear('all'))}>
                  Clear all
                </button>
              </>
            ) : null}
          </fieldset>
          {!active.importedFrom ? (
            <div class="lists">
              {view.otherTabs.length > 0 ? (
                <details class="other-tabs">
                  <summary>Other tabs ({view.otherTabs.length})</summary>
                  <ul>
                    {view.otherTabs.map((tab) => (
                      <li key={tab.tabId}>
                        <a href={`?tab=${tab.tabId}`}>{tab.site}</a>{' '}
                        <span class="muted">
                          {tab.exchanges} exchange{tab.exchanges === 1 ? '' : 's'}
                          {tab.high > 0 ? `, ${tab.high} high` : ''}
                        </span>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
              <WatchedSites view={view} onRemove={(pattern) => act(`Could not stop watching ${pattern}`, () => source.unwatch(pattern))} />
            </div>
          ) : null}
          <p class="muted drop-hint">Drop a HAR file here to analyze it.</p>
        </footer>
      </div>
    </TokenActionsContext.Provider>
  );
}

function EmptyState({ view }: { view: ViewState }) {
  if (!view.isWatched) {
    return (
      <Notice>
        <p>
          Tokenscope is not watching {view.site ?? 'this page'}. It sees nothing on a site until you allow it:{' '}
          {view.site ? (
            <>
              <strong>Watch this site</strong>, then sign in to your app.
            </>
          ) : (
            'open Tokenscope from the toolbar on that page and choose Watch this site.'
          )}
        </p>
        <p class="muted">Without watching, the DevTools panel (Tokenscope tab) still captures while DevTools is open, and you can import a HAR.</p>
      </Notice>
    );
  }
  return (
    <Notice>
      <p>Watching {view.site}. No token exchange seen in this tab yet: sign in to your app and they appear here.</p>
      <p class="muted">
        If your app exchanges its code on its own server (back-channel), the browser never sees the tokens: back-channel exchanges are not observable here. Use
        the DevTools panel on the server's own UI, import a HAR, or run the tokenscope CLI on a capture from the server.
      </p>
    </Notice>
  );
}

function WatchedSites({ view, onRemove }: { view: ViewState; onRemove: (pattern: string) => void }) {
  if (view.watchedSites.length === 0) return <span class="muted">No site watched.</span>;
  return (
    <details class="watched">
      <summary>Watched sites ({view.watchedSites.length})</summary>
      <ul>
        {view.watchedSites.map((pattern) => (
          <li key={pattern}>
            <code>{pattern}</code>{' '}
            <button type="button" class="link" aria-label={`Stop watching ${pattern}`} onClick={() => onRemove(pattern)}>
              remove
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
