// COPY ... FROM STDIN in text format: bulk loads skip the per-parameter planning work that a large
// multi-row INSERT costs the server (every parameter becomes a Const in the plan).
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2

/** One value of a COPY row: strings are sent as they are (JSON text, ISO timestamps). */
export type CopyValue = string | number | bigint | boolean | Date | null | undefined;

const SPECIAL = /[\\\n\r\t]/;
const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field in COPY text format: NULL as \N, booleans t/f, backslash, newline, CR and tab escaped. */
export function copyField(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
  return SPECIAL.test(s) ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : s;
}

/** One row as a line of COPY text (tab-separated fields, newline-terminated). */
export function copyLine(row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i]);
  return line + '\n';
}

/**
 * The rows as COPY text, in pieces of whole lines of about `chunkChars` characters each (a PostgreSQL
 * connection sends each piece as one CopyData message; PGlite joins them into one blob).
 */
export function copyChunks(rows: readonly (readonly CopyValue[])[], chunkChars = 1 << 24): string[] {
  const out: string[] = [];
  let cur = '';
  for (const row of rows) {
    cur += copyLine(row);
    if (cur.length >= chunkChars) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** A double-quoted SQL identifier. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `COPY "table" ("a", "b") FROM <source>` in text format. */
export const copySql = (table: string, columns: readonly string[], source: string) =>
  `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source}`;
