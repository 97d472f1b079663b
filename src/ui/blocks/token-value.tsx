/**
 * A token's fingerprint, and its value only when the user reveals or copies it. A token the site's service worker
 * holds has no value here to reveal: the page got a placeholder, which is said instead.
 */
import { useContext, useState } from 'preact/hooks';
import { HELD_TOKEN_SAYING } from '../../core/held-tokens.js';
import type { TokenReport } from '../../core/types.js';
import { Clip } from '../components/clip.js';
import { shortFingerprint } from '../../core/format/text.js';
import { errorMessage } from '../format.js';
import { TokenActionsContext } from '../token-actions.js';

export function TokenValue({ exchangeId, token }: { exchangeId: string; token: TokenReport }) {
  if (token.heldBy) {
    return (
      <div class="token-value">
        <span class="held">{HELD_TOKEN_SAYING}</span>
      </div>
    );
  }
  return <ShownTokenValue exchangeId={exchangeId} token={token} />;
}

function ShownTokenValue({ exchangeId, token }: { exchangeId: string; token: TokenReport }) {
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
      setStatus(`Copy failed: ${errorMessage(error)}`);
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
          {shortFingerprint(token.fingerprint)}
        </code>
      )}
      <button
        type="button"
        class="small"
        aria-pressed={shown}
        aria-label={`${shown ? 'Hide' : 'Reveal'} the ${label}`}
        onClick={() => void toggle()}
      >
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
