/** What the view and its import worker say to each other. */
import type { ImportedReport } from './analyze-import.js';

/** View -> worker: the file to read (a File is cloned to the worker without its bytes). */
export interface ImportRequest {
  file: File;
}

export interface ImportProgress {
  /** Bytes of the file read so far (compressed bytes for a .gz). */
  bytes: number;
  /** The file's size in bytes. */
  total: number;
  exchanges: number;
}

/** Worker -> view. */
export type ImportMessage =
  | { type: 'progress'; progress: ImportProgress }
  | { type: 'done'; imported: ImportedReport }
  | { type: 'failed'; message: string };
