/** A file being imported: how far reading got, and a way to stop it. */
import type { ImportState } from '../hooks/use-import.js';

const MB = 1024 * 1024;

export function ImportProgress({ importing, onCancel }: { importing: ImportState; onCancel: () => void }) {
  const { name, bytes, total, exchanges } = importing;
  const read = `${Math.round(bytes / MB)} of ${Math.max(1, Math.round(total / MB))} MB`;
  return (
    <div class="notice notice-info import-progress" role="status">
      <p>
        Reading {name}: {read}, {exchanges} token exchange{exchanges === 1 ? '' : 's'} so far.
      </p>
      <progress max={total || 1} value={bytes} aria-label={`Reading ${name}`} />
      <button type="button" onClick={onCancel}>
        Cancel import
      </button>
    </div>
  );
}
