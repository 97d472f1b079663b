/**
 * The views' building blocks, shared by the popup and the DevTools panel.
 * Every value from a page, a response or a HAR goes into the DOM as text
 * (Preact text nodes and attributes); nothing here sets HTML.
 */
import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect, useErrorBoundary, useState } from 'preact/hooks';
import type { CaptureInfo } from '../protocol/view-state.js';
import { RULES } from '../core/rules/catalogue.js';
import { isSameServer } from '../core/scopes.js';
import type { ExchangeReport, Finding, ResourceServerReport, Severity, TokenReport } from '../core/types.js';

/** What a token row may ask for: its value, fetched only when the user reveals or copies it. */
export interface TokenActions {
  reveal(exchangeId: string, fingerprint: string): Promise<string | null>;
}
export const TokenActionsContext = createContext<TokenActions>({ reveal: () => Promise.resolve(null) });

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time', 'updated_at', 'last_authentication']);
/** How an exchange was seen, in words: which sources, and whether the network layer confirms it. */
export function captureLabel(capture: CaptureInfo): string {
  if (capture.verification === 'imported') return 'imported';
  if (capture.seenBy.includes('filter')) return capture.seenBy.includes('page-hook') ? 'network filter and page hook, verified' : 'network filter, verified';
  // The wire saw the request; the body is still what the page reported (Chromium gives the worker no bodies).
  if (capture.verification === 'verified') return 'page hook, request seen on the wire';
  if (capture.verification === 'page-reported') return 'page hook (page-reported)';
  return capture.seenBy.includes('page-hook') ? 'DevTools network and page hook' : 'DevTools network';
}

/** One line of untrusted text, capped: a megabyte claim must not take the layout with it. */
export function Clip({ text, max = 300 }: { text: unknown; max?: number }) {
  const value = typeof text === 'string' ? text : (JSON.stringify(text) ?? String(text));
  return <>{value.length > max ? `${value.slice(0, max)}…` : value}</>;
}

/** One clock for every countdown on the page: a view of 200 exchanges must not run a timer per token. */
const clockListeners = new Set<(now: number) => void>();
let clock: ReturnType<typeof setInterval> | null = null;

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    clockListeners.add(setNow);
    clock ??= setInterval(() => {
      const tick = Date.now();
      for (const listener of clockListeners) listener(tick);
    }, 1000);
    return () => {
      clockListeners.delete(setNow);
      if (clockListeners.size === 0 && clock !== null) {
        clearInterval(clock);
        clock = null;
      }
    };
  }, []);
  return now;
}

export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const parts =
    s >= 86400 ? [`${Math.floor(s / 86400)} d`, `${Math.floor((s % 86400) / 3600)} h`] : s >= 3600 ? [`${Math.floor(s / 3600)} h`, `${Math.floor((s % 3600) / 60)} min`] : s >= 60 ? [`${Math.floor(s / 60)} min`, `${s % 60} s`] : [`${s} s`];
  return parts.join(' ');
}

export function Expiry({ expiresAt }: { expiresAt: string | null }) {
  const now = useNow();
  if (!expiresAt) return <span class="muted">no expiry given</span>;
  const at = Date.parse(expiresAt);
  const left = at - now;
  return (
    <span class={left <= 0 ? 'expiry expired' : 'expiry'} title={expiresAt}>
      {left <= 0 ? `expired ${formatDuration(left)} ago` : `expires in ${formatDuration(left)}`} <span class="muted">({new Date(at).toLocaleString()})</span>
    </span>
  );
}

/** A <details> whose content is rendered only once opened: 200 exchanges' claim tables would otherwise all be in the DOM. */
export function LazyDetails({ summary, className, children }: { summary: ComponentChildren; className: string; children: () => ComponentChildren }) {
  const [open, setOpen] = useState(false);
  return (
    <details class={className} onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
}

export function SeverityPill({ severity }: { severity: Severity }) {
  return <span class={`pill sev-${severity}`}>{severity}</span>;
}

export function FindingList({ findings, rulesUrl, showNone = true }: { findings: Finding[]; rulesUrl: string; showNone?: boolean }) {
  if (findings.length === 0) return showNone ? <p class="ok-line">No findings.</p> : <p class="ok-line">No problem found.</p>;
  return (
    <ul class="findings" aria-label="Findings">
      {findings.map((finding, index) => (
        <li key={index} class={`finding sev-${finding.severity}`}>
          <SeverityPill severity={finding.severity} />
          <div class="finding-body">
            <p class="message">
              <Clip text={finding.message} max={600} />
            </p>
            {finding.explanation ? (
              <p class="explanation">
                <Clip text={finding.explanation} max={600} />
              </p>
            ) : null}
            <p class="rule">
              <a href={`${rulesUrl}#${finding.rule}`} target="_blank" rel="noopener noreferrer">
                {finding.rule}
              </a>{' '}
              <span class="muted">{RULES[finding.rule]?.standard}</span>
            </p>
            {Object.keys(finding.evidence).length > 0 ? (
              <LazyDetails className="evidence" summary="Evidence">
                {() => (
                  <table class="claims">
                    <tbody>
                      {Object.entries(finding.evidence)
                        .slice(0, 30)
                        .map(([name, value]) => (
                          <tr key={name}>
                            <th scope="row">
                              <Clip text={name} max={80} />
                            </th>
                            <td>
                              <Clip text={value} max={400} />
                            </td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                )}
              </LazyDetails>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

function ScopeList({ server }: { server: ResourceServerReport }) {
  const requested = server.requestedScopes;
  const granted = server.scopes;
  const dropped = requested.filter((scope) => !granted.includes(scope));
  if (granted.length === 0 && dropped.length === 0) return <p class="muted">No scopes named.</p>;
  return (
    <ul class="scopes" aria-label="Scopes">
      {granted.map((scope) => {
        const added = requested.length > 0 && !requested.includes(scope);
        return (
          <li key={`g-${scope}`} class={added ? 'scope added' : 'scope'} title={added ? 'granted, not requested' : 'granted'}>
            {added ? '+ ' : ''}
            <Clip text={scope} max={160} />
          </li>
        );
      })}
      {dropped.map((scope) => (
        <li key={`d-${scope}`} class="scope dropped" title="requested, not granted">
          <del>
            <Clip text={scope} max={160} />
          </del>
        </li>
      ))}
    </ul>
  );
}

function claimValue(name: string, value: unknown) {
  if (TIME_CLAIMS.has(name) && (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))) {
    const ms = Number(value) * 1000;
    if (Number.isFinite(ms) && Math.abs(ms) < 8.64e15) return `${String(value)} (${new Date(ms).toISOString()})`;
  }
  return value;
}

/** `expected`: the audience this token should name (its resource server; the client id for an ID token). */
export function ClaimsTable({ claims, expected }: { claims: Record<string, unknown>; expected: string | null }) {
  const entries = Object.entries(claims).slice(0, 200);
  return (
    <table class="claims">
      <tbody>
        {entries.map(([name, value]) => {
          const isAud = name === 'aud';
          const auds = isAud ? (Array.isArray(value) ? value : [value]) : [];
          return (
            <tr key={name}>
              <th scope="row">
                <Clip text={name} max={80} />
              </th>
              <td>
                {isAud ? (
                  <ul class="aud-list">
                    {auds.map((aud, index) => {
                      const own = typeof aud === 'string' && expected !== null && isSameServer(aud, expected);
                      return (
                        <li key={index} class={own ? 'aud own' : 'aud other'} title={own ? 'the expected audience' : 'another audience'}>
                          <Clip text={aud} max={200} />
                        </li>
                      );
                    })}
                  </ul>
                ) : (
                  <Clip text={claimValue(name, value)} max={400} />
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function TokenValue({ exchangeId, token }: { exchangeId: string; token: TokenReport }) {
  const actions = useContext(TokenActionsContext);
  const [value, setValue] = useState<string | null>(token.value ?? null);
  const [shown, setShown] = useState(false);
  const [status, setStatus] = useState('');
  const fetchValue = async () => {
    const found = value ?? (await actions.reveal(exchangeId, token.fingerprint));
    if (found !== null) setValue(found);
    return found;
  };
  const toggle = async () => {
    if (shown) return setShown(false);
    if ((await fetchValue()) === null) return setStatus('Not available');
    setShown(true);
  };
  const copy = async () => {
    const found = await fetchValue();
    if (found === null) return setStatus('Not available');
    try {
      await navigator.clipboard.writeText(found);
      setStatus('Copied');
    } catch (error) {
      setStatus(`Copy failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const label = `${token.kind} token`;
  return (
    <div class="token-value">
      {shown && value !== null ? (
        <code class="revealed" title={`${label} value`}>
          <Clip text={value} max={20000} />
        </code>
      ) : (
        <code class="fingerprint" title={`${label} fingerprint ${token.fingerprint}`}>
          {token.fingerprint.slice(0, 19)}…
        </code>
      )}
      <button type="button" class="small" aria-pressed={shown} aria-label={`${shown ? 'Hide' : 'Reveal'} the ${label}`} onClick={() => void toggle()}>
        {shown ? 'Hide' : 'Reveal'}
      </button>
      <button type="button" class="small" aria-label={`Copy the ${label}`} onClick={() => void copy()}>
        Copy
      </button>
      <span class="status" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

export function TokenRow({ token, server, clientId, exchangeId }: { token: TokenReport; server: string; clientId: string | null; exchangeId: string }) {
  return (
    <li class="token">
      <div class="token-line">
        <span class={`kind kind-${token.kind}`}>{token.kind}</span>
        <span class="format">{token.format === 'jwt' ? 'JWT' : 'opaque'}</span>
        <Expiry expiresAt={token.expiresAt} />
      </div>
      <TokenValue exchangeId={exchangeId} token={token} />
      {token.note ? (
        <p class="muted">
          <Clip text={token.note} />
        </p>
      ) : null}
      {token.claims ? (
        <LazyDetails className="claims-details" summary={token.kind === 'id' ? 'ID token claims' : `${token.kind} token claims`}>
          {() => (
            <>
              {token.header ? (
                <p class="muted header-line">
                  header: <Clip text={token.header} max={300} />
                </p>
              ) : null}
              <ClaimsTable claims={token.claims as Record<string, unknown>} expected={token.kind === 'id' ? clientId : server} />
            </>
          )}
        </LazyDetails>
      ) : null}
    </li>
  );
}

export function ResourceServerBlock({
  server,
  clientId,
  exchangeId,
  findings,
}: {
  server: ResourceServerReport;
  clientId: string | null;
  exchangeId: string;
  findings: Finding[];
}) {
  const worst = (['high', 'medium', 'low'] as const).find((severity) => findings.some((f) => f.severity === severity));
  return (
    <section class={`rs${worst ? ` rs-${worst}` : ''}`} aria-label={`Resource server ${server.id}`}>
      <h3 class="rs-id">
        <span class="rs-name">
          <Clip text={server.id} max={200} />
        </span>{' '}
        <small class="muted">resolved by {server.resolvedBy}</small>
        {worst ? (
          <span class={`pill sev-${worst}`} title={`${findings.length} finding${findings.length === 1 ? '' : 's'} for this resource server`}>
            {findings.length} {worst}
          </span>
        ) : null}
      </h3>
      <ScopeList server={server} />
      <ul class="tokens">
        {server.tokens.map((token) => (
          <TokenRow key={token.fingerprint + token.kind} token={token} server={server.id} clientId={clientId} exchangeId={exchangeId} />
        ))}
      </ul>
    </section>
  );
}

export function ExchangeCard({ exchange, capture, rulesUrl }: { exchange: ExchangeReport; capture: CaptureInfo | undefined; rulesUrl: string }) {
  const time = new Date(exchange.startedAt);
  const how = capture ? captureLabel(capture) : exchange.source;
  const info = exchange.findings.filter((f) => f.severity === 'info');
  return (
    <article class="exchange" aria-label={`Token exchange at ${time.toLocaleTimeString()}`}>
      <header class="exchange-head">
        <div class="exchange-meta">
          <time dateTime={exchange.startedAt}>{Number.isNaN(time.getTime()) ? exchange.startedAt : time.toLocaleTimeString()}</time>
          <span class="grant">
            <Clip text={exchange.request.grantType ?? (exchange.kind === 'introspection' ? 'introspection' : 'grant unknown')} max={80} />
          </span>
          <span class={`how how-${capture?.verification ?? exchange.source}`}>{how}</span>
        </div>
        <div class="endpoint">
          <Clip text={exchange.method} max={10} /> <Clip text={exchange.url} max={200} /> · {exchange.status ?? 'no status'}
        </div>
      </header>
      {exchange.notes.map((note, index) => (
        <p key={index} class="note">
          <Clip text={note} />
        </p>
      ))}
      <FindingList findings={exchange.findings.filter((f) => f.severity !== 'info')} rulesUrl={rulesUrl} showNone={info.length === 0} />
      {info.length > 0 ? (
        <LazyDetails className="info-findings" summary={`${info.length} informational note${info.length === 1 ? '' : 's'}`}>
          {() => <FindingList findings={info} rulesUrl={rulesUrl} />}
        </LazyDetails>
      ) : null}
      {exchange.resourceServers.map((server) => (
        <ResourceServerBlock
          key={server.id}
          server={server}
          clientId={exchange.request.clientId}
          exchangeId={exchange.id}
          findings={exchange.findings.filter((f) => f.resourceServer === server.id && f.severity !== 'info')}
        />
      ))}
    </article>
  );
}

export function Notice({ children, tone = 'info' }: { children: ComponentChildren; tone?: 'info' | 'warn' }) {
  return (
    <div class={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

/** Data that does not have the shape a report promises (a hand-edited "report" file, say) is said, not a blank view. */
export function Guarded({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <Notice tone="warn">
        <p>
          This data could not be displayed: <Clip text={error instanceof Error ? error.message : String(error)} />
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </Notice>
    );
  }
  return <>{children}</>;
}
