import type { Criterion } from '../../scoring';

// What the table builders hand to the XLSX and CSV writers: plain data, no formatting decided later.

/** A cell: text, a real number (never a rounded string), a date, or empty. */
export type Cell = string | number | Date | null;

/**
 * How a column is shown: `int` and `decimal` are number cells whose display is rounded only by the
 * XLSX number format (CSV writes decimals rounded to 4 places); `day` is a date without its time;
 * `mixed` holds text and numbers (a key/value list).
 */
export type ColumnKind = 'text' | 'int' | 'decimal' | 'date' | 'day' | 'mixed';

export interface Column {
  header: string;
  kind: ColumnKind;
  /** in characters */
  width: number;
}

export interface Table {
  sheet: string;
  columns: Column[];
  rows: Cell[][];
}

/** The stored response fields an export may use; names, e-mails and link references are not among them. */
export interface ResponseRecord {
  _id: string;
  group: string;
  lang?: string | null;
  submittedAt?: Date | string | null;
  durationMs?: number | null;
  userAgentClass?: string | null;
  answers?: ({ instrument: string; topic: string } & Partial<Record<Criterion, number | null>>)[];
}

/** The Responses sheet: its rows are made one at a time from a cursor, never held together. */
export interface ResponseTable {
  sheet: string;
  /** headers in the file's language */
  columns: Column[];
  /** the second header row: the same columns as codes (`group`, `impact:CLIM:significance`) */
  codes: string[];
  /** one response's row, or null when it is not listed (see SmallGroups.omitted) */
  row(doc: ResponseRecord): Cell[] | null;
}

export interface ResponseOptions {
  /**
   * Maps a stored response id to the id shown in exports. Stored ids of personal responses embed the
   * link reference, so they must never be shown as they are.
   */
  pseudonym(storedId: string): string;
}

export interface ExportTables {
  rankings: Table;
  matrix: Table;
  groups: Table;
  perGroup: Table;
  iros: Table;
  method: Table;
  responses: ResponseTable;
  /** The review stamp ("Provisional — not signed off" / "Signed off on … by …") every sheet carries. */
  stamp?: string;
  /** The "Year over year" sheet, when the assessment has a previous one (review piece). */
  yearOverYear?: Table | null;
  /** The "Method appendix" sheet (review piece), set by the workbook download. */
  appendix?: Table | null;
  /** The "Analytics" sheet from the cached analytics (review piece), set by the workbook download. */
  analytics?: Table | null;
}
