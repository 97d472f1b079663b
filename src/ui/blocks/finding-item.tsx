/** One finding: its severity, message, explanation, why it was lowered, rule (linked to its explanation) and evidence. */
import { loweredWords } from '../../core/format/verdict.js';
import { RULES } from '../../core/rules/catalogue.js';
import type { Finding } from '../../core/types.js';
import { Clip } from '../components/clip.js';
import { LazyDetails } from '../components/lazy-details.js';
import { NameValueTable } from '../components/name-value-table.js';
import { SeverityPill } from '../components/severity-pill.js';

export function FindingItem({ finding, rulesUrl }: { finding: Finding; rulesUrl: string }) {
  return (
    <li class={`finding sev-${finding.severity}`}>
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
        {finding.lowered ? (
          <p class="explanation lowered">
            <Clip text={loweredWords(finding) ?? ''} max={600} />
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
            {() => <NameValueTable entries={finding.evidence} limit={30} renderValue={(_, value) => <Clip text={value} max={400} />} />}
          </LazyDetails>
        ) : null}
      </div>
    </li>
  );
}
