/** One token exchange: when, which grant, how it was seen, the endpoint; its findings, then each resource server. */
import type { ExchangeReport } from '../../core/types.js';
import type { CaptureInfo } from '../../protocol/view-state.js';
import { useCapped } from '../components/capped.js';
import { Clip } from '../components/clip.js';
import { LazyDetails } from '../components/lazy-details.js';
import { countLabel } from '../../core/format/summary.js';
import { captureLabel, isBodyFromNetwork } from '../format.js';
import { FindingList } from './finding-list.js';
import { ResourceServerBlock } from './resource-server-block.js';

function grantLabel(exchange: ExchangeReport): string {
  return exchange.request.grantType ?? (exchange.kind === 'introspection' ? 'introspection' : 'grant unknown');
}

export function ExchangeCard({
  exchange,
  capture,
  rulesUrl,
}: {
  exchange: ExchangeReport;
  capture: CaptureInfo | undefined;
  rulesUrl: string;
}) {
  const time = new Date(exchange.startedAt);
  const problems = exchange.findings.filter((f) => f.severity !== 'info');
  const info = exchange.findings.filter((f) => f.severity === 'info');
  const servers = useCapped(exchange.resourceServers, 'resource servers');
  return (
    <article class="exchange" aria-label={`Token exchange at ${time.toLocaleTimeString()}`}>
      <header class="exchange-head">
        <div class="exchange-meta">
          <time dateTime={exchange.startedAt}>{Number.isNaN(time.getTime()) ? exchange.startedAt : time.toLocaleTimeString()}</time>
          <span class="grant">
            <Clip text={grantLabel(exchange)} max={80} />
          </span>
          {/* Marked as checked (green) only when the body came from the network: a page hook's body is the page's word. */}
          <span class={`how how-${capture?.verification ?? exchange.source}${capture && isBodyFromNetwork(capture) ? ' how-network' : ''}`}>
            {capture ? captureLabel(capture) : exchange.source}
          </span>
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
      <FindingList findings={problems} rulesUrl={rulesUrl} showNone={info.length === 0} />
      {info.length > 0 ? (
        <LazyDetails className="info-findings" summary={countLabel(info.length, 'informational note')}>
          {() => <FindingList findings={info} rulesUrl={rulesUrl} />}
        </LazyDetails>
      ) : null}
      {servers.shown.map((server) => (
        <ResourceServerBlock
          key={server.id}
          server={server}
          clientId={exchange.request.clientId}
          exchangeId={exchange.id}
          findings={problems.filter((f) => f.resourceServer === server.id)}
        />
      ))}
      {servers.more ? <p class="more">{servers.more}</p> : null}
    </article>
  );
}
