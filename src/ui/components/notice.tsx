/** A message in the view's flow, announced to screen readers. */
import type { ComponentChildren } from 'preact';

export function Notice({ children, tone = 'info' }: { children: ComponentChildren; tone?: 'info' | 'warn' }) {
  return (
    <div class={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}
