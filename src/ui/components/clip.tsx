/**
 * One line of untrusted text, capped. Every value from a page, a response or a file goes into
 * the DOM as text (Preact text nodes and attributes); no view sets HTML.
 */
import { clipText } from '../format.js';

export function Clip({ text, max = 300 }: { text: unknown; max?: number }) {
  return <>{clipText(text, max)}</>;
}
