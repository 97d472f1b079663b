/** An exchange's findings, or a line saying there are none. */
import type { Finding } from '../../core/types.js';
import { useCapped } from '../components/capped.js';
import { FindingItem } from './finding-item.js';

/** `showNone`: "No findings." when nothing at all was found; else "No problem found." (there are informational notes). */
export function FindingList({ findings, rulesUrl, showNone = true }: { findings: Finding[]; rulesUrl: string; showNone?: boolean }) {
  const { shown, more } = useCapped(findings, 'findings');
  if (findings.length === 0) return <p class="ok-line">{showNone ? 'No findings.' : 'No problem found.'}</p>;
  return (
    <ul class="findings" aria-label="Findings">
      {shown.map((finding, index) => (
        <FindingItem key={index} finding={finding} rulesUrl={rulesUrl} />
      ))}
      {more ? <li class="more">{more}</li> : null}
    </ul>
  );
}
