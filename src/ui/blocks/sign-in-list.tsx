/**
 * The report's sign-ins, newest first: first one line each saying whether anything is wrong (the
 * worst finding in words), then each sign-in's section with its map and timeline. Sign-ins with a
 * front channel get the full headline (consent result, requested vs granted); a code exchange seen
 * alone gets its map under a plain heading.
 */
import { signInTimeline } from '../../core/analysis/sign-in-timeline.js';
import { mappableSignIns, type TokenMap, tokenMap } from '../../core/analysis/token-map.js';
import type { SignInReport } from '../../core/sign-in/types.js';
import type { ExchangeReport, Report } from '../../core/types.js';
import { Clip } from '../components/clip.js';
import { Later } from '../components/later.js';
import { SeverityPill } from '../components/severity-pill.js';
import { signInTitle, verdictLine } from '../format.js';
import { SignInGaps, SignInHeadline } from './sign-in-headline.js';
import { SignInMap } from './sign-in-map.js';
import { SignInTimeline } from './sign-in-timeline.js';

interface Mapped {
  signIn: SignInReport;
  map: TokenMap;
  title: string;
}

/** A sign-in's map and name in words, from the report's exchanges. */
export function mapped(signIn: SignInReport, exchanges: readonly ExchangeReport[]): Mapped {
  const first = exchanges.find((exchange) => exchange.id === signIn.exchanges[0]);
  return { signIn, map: tokenMap(signIn, exchanges), title: signInTitle(signIn, first) };
}

function Verdicts({ mapped }: { mapped: Mapped[] }) {
  return (
    <ul class="verdicts" aria-label="Sign-ins at a glance">
      {mapped.map(({ signIn, map, title }) => {
        const worst = map.worst && map.worst.severity !== 'info' ? map.worst : null;
        // No token captured is not "ok": nothing was checked.
        const unchecked = !worst && map.tokens.length === 0;
        return (
          <li key={signIn.id} class={worst ? `verdict sev-${worst.severity}` : unchecked ? 'verdict' : 'verdict verdict-ok'}>
            {worst ? (
              <SeverityPill severity={worst.severity} />
            ) : unchecked ? (
              <span class="pill">no tokens</span>
            ) : (
              <span class="pill verdict-ok-pill">ok</span>
            )}{' '}
            <a href={`#sign-in-${signIn.id}`}>
              <Clip text={title} max={120} />
            </a>
            : <Clip text={verdictLine(map)} max={400} />
          </li>
        );
      })}
    </ul>
  );
}

/** One sign-in: its headline (or a plain heading), its map, then its timeline. */
export function SignInSection({
  entry: { signIn, map, title },
  exchanges,
  rulesUrl,
}: {
  entry: Mapped;
  exchanges: readonly ExchangeReport[];
  rulesUrl: string;
}) {
  const events = signInTimeline(signIn, exchanges);
  // A code exchange seen alone is one step: its card already says it all. The timeline is below the map, under the
  // first screen: it comes in after the first paint, its place held meanwhile (about one line per step).
  const timeline =
    signIn.authorization || signIn.response || events.length > 1 ? (
      <Later now={false} height={32 + events.length * 26}>
        {() => <SignInTimeline events={events} label={`Timeline of ${title}`} />}
      </Later>
    ) : null;
  return signIn.authorization || signIn.response ? (
    <SignInHeadline signIn={signIn} rulesUrl={rulesUrl} map={map}>
      {timeline}
    </SignInHeadline>
  ) : (
    <section id={`sign-in-${signIn.id}`} class="sign-in" aria-label="Sign-in">
      <h2>
        <Clip text={title} max={160} />
      </h2>
      <SignInMap map={map} label={`Map of ${title}`} />
      {/* No authorization request was seen: only what went wrong is said (the exchange's card shows the rest). */}
      <SignInGaps
        signIn={signIn}
        rulesUrl={rulesUrl}
        servers={signIn.resourceServers.filter((server) => !server.hasToken || server.dropped.length > 0)}
      />
      {timeline}
    </section>
  );
}

export function SignInList({ report, rulesUrl }: { report: Report; rulesUrl: string }) {
  const entries: Mapped[] = mappableSignIns(report)
    .reverse()
    .map((signIn) => mapped(signIn, report.exchanges));
  if (entries.length === 0) return null;
  return (
    <>
      <Verdicts mapped={entries} />
      {entries.map((entry, index) => (
        // The newest sign-in on the first screen, the others (below it) once that is painted.
        <Later key={entry.signIn.id} now={index === 0} height={240}>
          {() => <SignInSection entry={entry} exchanges={report.exchanges} rulesUrl={rulesUrl} />}
        </Later>
      ))}
    </>
  );
}
