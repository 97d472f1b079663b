/** A <details> whose content is rendered only once opened: 200 exchanges' claim tables would otherwise all be in the DOM. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function LazyDetails({
  summary,
  className,
  children,
}: {
  summary: ComponentChildren;
  className: string;
  children: () => ComponentChildren;
}) {
  const [open, setOpen] = useState(false);
  return (
    <details class={className} onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  );
}
