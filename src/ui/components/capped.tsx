/**
 * A long list shown in part: its first `cap` items, then a button "and 9,950 more" that shows the whole list. Any list
 * whose length comes from a response (scopes, audiences, resource servers, tokens) goes through here, so no response
 * can make a view render tens of thousands of elements before the user asked for them.
 */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';

/**
 * Items of one list (a server's scopes, a token's audiences, the map's columns) rendered at first; the rest are a click
 * away ("and 9,950 more"): one response with 10,000 scopes must not fill the popup with 60,000 elements.
 */
export const LIST_SHOWN = 50;

/** What to render of `list`: `shown`, and `more` (the button, null when everything is shown). */
export function useCapped<T>(list: readonly T[], what: string, cap: number = LIST_SHOWN): { shown: readonly T[]; more: VNode | null } {
  const [all, setAll] = useState(false);
  if (all || list.length <= cap) return { shown: list, more: null };
  const rest = list.length - cap;
  return {
    shown: list.slice(0, cap),
    more: (
      <button
        type="button"
        class="link more-items"
        title={`Show all ${list.length.toLocaleString('en-US')} ${what}`}
        onClick={() => setAll(true)}
      >
        and {rest.toLocaleString('en-US')} more
      </button>
    ),
  };
}
