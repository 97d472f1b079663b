/** A finding's severity as a coloured label; `children` replace the severity's name (a count, say). */
import type { ComponentChildren } from 'preact';
import type { Severity } from '../../core/types.js';

export function SeverityPill({ severity, title, children }: { severity: Severity; title?: string; children?: ComponentChildren }) {
  return (
    <span class={`pill sev-${severity}`} title={title}>
      {children ?? severity}
    </span>
  );
}
