/** Data that does not have the shape a report promises (a hand-edited "report" file, say) is said, not a blank view. */
import type { ComponentChildren } from 'preact';
import { useErrorBoundary } from 'preact/hooks';
import { errorMessage } from '../format.js';
import { Clip } from './clip.js';
import { Notice } from './notice.js';

export function Guarded({ children }: { children: ComponentChildren }) {
  const [error, reset] = useErrorBoundary();
  if (error) {
    return (
      <Notice tone="warn">
        <p>
          This data could not be displayed: <Clip text={errorMessage(error)} />
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </Notice>
    );
  }
  return <>{children}</>;
}
