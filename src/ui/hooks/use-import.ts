/** Importing a file (picked or dropped): refused over the size cap, analyzed in a chunk loaded on demand. */
import { useCallback } from 'preact/hooks';
import { MAX_IMPORT_BYTES } from '../../core/limits.js';
import type { ViewSource } from '../sources/view-source.js';
import type { Act } from './use-actions.js';

const MB = 1024 * 1024;

/** A function that imports a file and hands its source to `open`; a file that cannot be read is said through `act`. */
export function useImport(act: Act, open: (imported: ViewSource) => void): (file: File) => void {
  return useCallback(
    (file: File) =>
      act(`Could not import ${file.name}`, async () => {
        if (file.size > MAX_IMPORT_BYTES)
          throw new Error(`the file is ${Math.round(file.size / MB)} MB, over the ${MAX_IMPORT_BYTES / MB} MB limit`);
        const { importedSource } = await import('../sources/imported-source.js');
        open(importedSource(file.name, await file.text()));
      }),
    [act, open],
  );
}
