/**
 * The report's sign-ins, newest first: first one line each saying whether anything is wrong (the
 * worst finding in words), then each sign-in's section with its map. Sign-ins with a front channel
 * get the full headline (consent result, requested vs granted); a code exchange seen alone gets its
 * map under a plain heading.
 */
import { mappableSignIns, type TokenMap, tokenMap } from '../../core/analysis/token-map.js';
import type { SignInReport } from '../../core/sign-in/types.js';
import type { ExchangeReport, Report } from '../../core/types.js';
import { Clip } from '../components/clip.js';
import { Later } from '../components/later.js';
import { SeverityPill } from '../components/severity-pill.js';
import { signInTitle, verdictLine } from '../format.js';
import { SignInHeadline } from './sign-in-headline.js';
import { SignInMap } from './sign-in-map.js';

interface Mapped {
  signIn: SignInReport;
  map: TokenMap;
  title: string;
}

function Verdicts({ mapped }: { mapped: Mapped[] }) {
  return (
    <ul class="verdicts" aria-label="Sign-ins at a glance">
      {mapped.map(({ signIn, map, title }) => {
        const worst = map.worst && map.worst.severity !== 'info' ? map.worst : null;
        return (
          <li key={signIn.id} class={worst ? `verdict sev-${worst.severity}` : 'verdict verdict-ok'}>
            {worst ? <SeverityPill severity={worst.severity} /> : <span class="pill verdict-ok-pill">ok</span>}{' '}
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

export function SignInList({ report, rulesUrl }: { report: Report; rulesUrl: string }) {
  const mapped: Mapped[] = mappableSignIns(report)
    .reverse()
    .map((signIn) => {
      const first = report.exchanges.find((exchange: ExchangeReport) => exchange.id === signIn.exchanges[0]);
      return { signIn, map: tokenMap(signIn, report.exchanges), title: signInTitle(signIn, first) };
    });
  if (mapped.length === 0) return null;
  return (
    <>
      <Verdicts mapped={mapped} />
      {mapped.map(({ signIn, map, title }, index) => (
        // The newest sign-in on the first screen, the others (below it) once that is painted.
        <Later key={signIn.id} now={index === 0} height={240}>
          {() =>
            signIn.authorization || signIn.response ? (
              <SignInHeadline signIn={signIn} rulesUrl={rulesUrl} map={map} />
            ) : (
              <section id={`sign-in-${signIn.id}`} class="sign-in" aria-label="Sign-in">
                <h2>
                  <Clip text={title} max={160} />
                </h2>
                <SignInMap map={map} label={`Map of ${title}`} />
              </section>
            )
          }
        </Later>
      ))}
    </>
  );
}
