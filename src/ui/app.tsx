/**
 * The view: one tab's token exchanges, grouped by resource server, findings
 * first. Fed by a ViewSource, so the popup, the DevTools panel and tests render
 * the same components from different transports.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { matchesPattern } from '../core/match-pattern.js';
import type { ViewState } from '../core/protocol.js';
import { ExchangeCard, Notice } from './components.js';
import type { ViewSource } from './source.js';

export interface AppProps {
  source: ViewSource;
  /** Where rule explanations live (a page inside the extension). */
  rulesUrl: string;
  /** 'popup' or 'panel': the panel has room for more. */
  mode: 'popup' | 'panel';
}

function summaryLine(view: ViewState): string {
  const { summary } = view.report;
  return `${summary.exchanges} exchange${summary.exchanges === 1 ? '' : 's'} · ${summary.resourceServers} resource server${summary.resourceServers === 1 ? '' : 's'} · ${summary.findings.high} high`;
}

export function App({ source, rulesUrl, mode }: AppProps) {
  const [view, setView] = useState<ViewState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
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
  const refresh = useCallback(() => {
    source.load().then(
      (next) => {
        setView(next);
        setError(null);
      },
      (reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)),
    );
  }, [source]);
  useEffect(() => {
    refresh();
    return source.subscribe(refresh);
  }, [source, refresh]);

  if (error) return <Notice tone="warn">Tokenscope could not load this tab: {error}</Notice>;
  if (!view) return <p class="loading" aria-busy="true">Loading…</p>;

  const exchanges = view.report.exchanges;
  const watchable = view.site !== null;
  return (
    <div class={`app app-${mode}`}>
      <header class="bar">
        <h1>Tokenscope</h1>
        <span class="site" title={view.tabUrl ?? ''}>
          {view.site ?? (view.tabId === null ? 'no tab' : 'not a web page')}
        </span>
        {watchable ? (
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
            The store is full: {view.dropped} older exchange{view.dropped === 1 ? ' was' : 's were'} dropped (it keeps the last {view.capacity}). Clear some to keep new ones longer.
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
            too, so its exchanges can be verified on the wire.
          </Notice>
        ) : null}
        {exchanges.length === 0 ? <EmptyState view={view} /> : <p class="summary">{summaryLine(view)}</p>}
        {exchanges.map((exchange) => (
          <ExchangeCard key={exchange.id} exchange={exchange} capture={view.captures[exchange.id]} rulesUrl={rulesUrl} />
        ))}
      </main>
      <footer class="foot">
        {exchanges.length > 0 ? (
          <button type="button" onClick={() => void source.clear('tab')}>
            Clear this tab
          </button>
        ) : null}
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
      </footer>
    </div>
  );
}

function unwatchSite(source: ViewSource, view: ViewState): Promise<boolean> {
  const url = view.tabUrl ?? `${view.site}/`;
  const patterns = view.watchedSites.filter((pattern) => matchesPattern(pattern, url));
  return Promise.all(patterns.map((pattern) => source.unwatch(pattern))).then((removed) => removed.some(Boolean));
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
        <p class="muted">Without watching, the DevTools panel (Tokenscope tab) still captures while DevTools is open.</p>
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
      <summary>
        Watched sites ({view.watchedSites.length})
      </summary>
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
