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
  const watchable = view.site !== null && view.tabUrl !== null;
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
              <button type="button" class="link" onClick={() => void unwatchSite(source, view)}>
                Stop watching
              </button>
            </span>
          ) : (
            <button type="button" class="primary" onClick={() => void source.watch(view.tabUrl as string)}>
              Watch this site
            </button>
          )
        ) : null}
      </header>
      <main>
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
              <button key={host} type="button" class="link" onClick={() => void source.watch(host)}>
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
        <WatchedSites view={view} source={source} />
      </footer>
    </div>
  );
}

function unwatchSite(source: ViewSource, view: ViewState): Promise<boolean> {
  const patterns = view.watchedSites.filter((pattern) => matchesPattern(pattern, view.tabUrl ?? ''));
  return Promise.all(patterns.map((pattern) => source.unwatch(pattern))).then((removed) => removed.some(Boolean));
}

function EmptyState({ view }: { view: ViewState }) {
  if (!view.isWatched) {
    return (
      <Notice>
        <p>
          Tokenscope is not watching {view.site ?? 'this page'}. It sees nothing on a site until you allow it: <strong>Watch this site</strong>, then sign in
          to your app.
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

function WatchedSites({ view, source }: { view: ViewState; source: ViewSource }) {
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
            <button type="button" class="link" aria-label={`Stop watching ${pattern}`} onClick={() => void source.unwatch(pattern)}>
              remove
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
