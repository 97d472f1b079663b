/**
 * A sign-in's steps as an ordered list (src/core/analysis/sign-in-timeline.ts): the time since the
 * start, what happened, and what went wrong at that step, in place. Every value is text.
 */
import { formatOffset, type TimelineEvent } from '../../core/analysis/sign-in-timeline.js';
import { Clip } from '../components/clip.js';
import { SeverityPill } from '../components/severity-pill.js';

function worstClass(event: TimelineEvent): string {
  if (event.error) return ' step-error';
  const worst = event.findings[0]?.severity;
  return worst && worst !== 'info' ? ` sev-${worst}` : '';
}

function Step({ event }: { event: TimelineEvent }) {
  return (
    <li class={`step step-${event.kind}${worstClass(event)}`}>
      <time class="step-time" dateTime={event.at ?? undefined} title={event.at ?? undefined}>
        {formatOffset(event.offsetMs)}
      </time>
      <div class="step-body">
        <p class="step-summary">
          <Clip text={event.summary} max={400} />
        </p>
        {event.error ? (
          <p class="step-error-text">
            <strong>Error:</strong> <Clip text={event.error} max={400} />
          </p>
        ) : null}
        {event.details.map((detail, index) => (
          <p key={index} class="step-detail muted">
            <Clip text={detail} max={400} />
          </p>
        ))}
        {event.findings.map((finding, index) => (
          <p key={`${finding.rule}-${index}`} class={`step-finding sev-${finding.severity}`}>
            <SeverityPill severity={finding.severity} /> <Clip text={finding.message} max={400} />{' '}
            <span class="muted">({finding.rule})</span>
          </p>
        ))}
      </div>
    </li>
  );
}

/** The timeline under a sign-in's map; nothing when it has no step. */
export function SignInTimeline({ events, label }: { events: readonly TimelineEvent[]; label: string }) {
  if (events.length === 0) return null;
  return (
    <div class="timeline">
      <h3 class="timeline-heading">Timeline</h3>
      <ol class="steps" aria-label={label}>
        {events.map((event, index) => (
          <Step key={`${event.kind}-${event.exchangeId ?? ''}-${index}`} event={event} />
        ))}
      </ol>
    </div>
  );
}
