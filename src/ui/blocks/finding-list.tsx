/** An exchange's findings, or a line saying there are none. */
import type { Finding } from '../../core/types.js';
import { FindingItem } from './finding-item.js';

/** `showNone`: "No findings." when nothing at all was found; else "No problem found." (there are informational notes). */
export function FindingList({ findings, rulesUrl, showNone = true }: { findings: Finding[]; rulesUrl: string; showNone?: boolean }) {
  if (findings.length === 0) return <p class="ok-line">{showNone ? 'No findings.' : 'No problem found.'}</p>;
  return (
    <ul class="findings" aria-label="Findings">
      {findings.map((finding, index) => (
        <FindingItem key={index} finding={finding} rulesUrl={rulesUrl} />
      ))}
    </ul>
  );
}
