/** A token's expiry as a live countdown, with the date in full beside it. */
import { formatDuration } from '../format.js';
import { useNow } from '../hooks/use-now.js';

export function Expiry({ expiresAt }: { expiresAt: string | null }) {
  const now = useNow();
  if (!expiresAt) return <span class="muted">no expiry given</span>;
  const at = Date.parse(expiresAt);
  const left = at - now;
  return (
    <span class={left <= 0 ? 'expiry expired' : 'expiry'} title={expiresAt}>
      {left <= 0 ? `expired ${formatDuration(left)} ago` : `expires in ${formatDuration(left)}`}{' '}
      <span class="muted">({new Date(at).toLocaleString()})</span>
    </span>
  );
}
