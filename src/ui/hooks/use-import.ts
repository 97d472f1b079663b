/**
 * Importing a file (picked or dropped): read and analyzed by the import worker
 * (`import-worker.js`), off the view's main thread, with its progress; cancelled by
 * terminating the worker. The view for the result is built in a chunk loaded on demand.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ImportedReport } from '../import/analyze-import.js';
import type { ImportMessage, ImportRequest } from '../import/import-protocol.js';
import type { ViewSource } from '../sources/view-source.js';
import type { Act } from './use-actions.js';

/** A file being read: its name and how far reading got. */
export interface ImportState {
  name: string;
  bytes: number;
  total: number;
  exchanges: number;
}

interface Running {
  worker: Worker;
  /** Ends the wait for the worker's answer with nothing (a cancel). */
  cancel: () => void;
}

/** Reads `file` in a new import worker; null when cancelled. */
function readInWorker(
  file: File,
  onProgress: (state: ImportState) => void,
  running: { current: Running | null },
): Promise<ImportedReport | null> {
  const worker = new Worker(new URL('/import-worker.js', location.href));
  return new Promise<ImportedReport | null>((resolve, reject) => {
    running.current = { worker, cancel: () => resolve(null) };
    worker.onmessage = (event: MessageEvent<ImportMessage>) => {
      const message = event.data;
      if (message.type === 'progress') onProgress({ name: file.name, ...message.progress });
      else if (message.type === 'done') resolve(message.imported);
      else reject(new Error(message.message));
    };
    worker.onerror = (event) => reject(new Error(event.message || 'the import stopped'));
    worker.postMessage({ file } satisfies ImportRequest);
  }).finally(() => {
    worker.terminate();
    if (running.current?.worker === worker) running.current = null;
  });
}

/**
 * `importFile` imports a file and hands its source to `open`; a file that cannot be read is said through `act`.
 * `importing` is the file being read (null when none), `cancelImport` stops it.
 */
export function useImport(act: Act, open: (imported: ViewSource) => void) {
  const [importing, setImporting] = useState<ImportState | null>(null);
  const running = useRef<Running | null>(null);
  const cancelImport = useCallback(() => {
    running.current?.cancel();
    setImporting(null);
  }, []);
  useEffect(() => () => running.current?.cancel(), []);
  const importFile = useCallback(
    (file: File) => {
      running.current?.cancel();
      setImporting({ name: file.name, bytes: 0, total: file.size, exchanges: 0 });
      act(`Could not import ${file.name}`, async () => {
        try {
          const imported = await readInWorker(file, setImporting, running);
          if (!imported) return;
          const { importedSource } = await import('../sources/imported-source.js');
          open(importedSource(file.name, imported));
        } finally {
          if (!running.current) setImporting(null);
        }
      });
    },
    [act, open],
  );
  return { importFile, importing, cancelImport };
}
