/** The steps of a sign-in's timeline (sign-in-timeline.ts, discovery-timeline.ts), as the views draw them. */
import type { RuleId, Severity } from '../types.js';

export type TimelineEventKind =
  | 'discovery'
  | 'authorization-request'
  | 'authorization-response'
  | 'code-exchange'
  | 'refresh'
  | 'token-request'
  | 'token-sent';

/** A finding shown at the step it is about. */
export interface TimelineFinding {
  rule: RuleId;
  severity: Severity;
  message: string;
}

export interface TimelineEvent {
  kind: TimelineEventKind;
  /** ISO-8601 time as captured; null when the step has none. */
  at: string | null;
  /** Milliseconds since the sign-in's first timed step; null when this step's time is unknown or unreadable. */
  offsetMs: number | null;
  /** What happened, in one line (values from the data stay plain text). */
  summary: string;
  /** Further facts, one short line each. */
  details: string[];
  /** What went wrong at this step, in words: an error answer, a refused consent; null when nothing did. */
  error: string | null;
  /** Findings about this step, worst first, info left out (a Bearer use keeps its own, whatever its severity). */
  findings: TimelineFinding[];
  /** The exchange this step is (or whose token was sent), when it is one. */
  exchangeId: string | null;
}
