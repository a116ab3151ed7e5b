// COPY ... FROM STDIN in text format: bulk loads skip the per-parameter planning work that a large
// multi-row INSERT costs the server (every parameter becomes a Const in the plan).
// https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.2

/** One value of a COPY row: strings are sent as they are (JSON text, ISO timestamps). */
export type CopyValue = string | number | bigint | boolean | Date | null | undefined;

const SPECIAL_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One field in COPY text format: NULL as \N, booleans t/f, backslash, newline, CR and tab escaped. */
export function copyField(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : String(v);
  // includes() scans memory at once; a regular expression test took ten times as long on large JSON.
  const special = s.includes('\\') || s.includes('\n') || s.includes('\r') || s.includes('\t');
  return special ? s.replace(SPECIAL_ALL, (c) => ESCAPES[c]) : s;
}

/** One row as a line of COPY text (tab-separated fields, newline-terminated). */
export function copyLine(row: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += (i === 0 ? '' : '\t') + copyField(row[i]);
  return line + '\n';
}

/**
 * The rows as COPY text, encoded as UTF-8 in buffers of at most about `chunkBytes` bytes each (a
 * PostgreSQL connection sends each as one CopyData message, which need not end at a line; PGlite
 * joins them into one blob). Fields are written straight into the buffer: building the text as
 * one string and encoding it afterwards cost three times as much for a page of large JSON records.
 */
export function copyChunks(rows: readonly (readonly CopyValue[])[], chunkBytes = 1 << 24): Buffer[] {
  // Every chunk owns its memory (never Node's shared pool), so that its ArrayBuffer can be
  // transferred to another thread.
  const out: Buffer[] = [];
  if (rows.length === 0) return out;
  // Sized for the page (one byte per character, plus separators): escapes and non-ASCII text,
  // which take more, start another buffer.
  let estimate = 0;
  for (const row of rows) {
    estimate += row.length;
    for (const v of row) if (typeof v === 'string') estimate += v.length;
  }
  const size = () => Math.min(chunkBytes, estimate + 64);
  let buf = Buffer.allocUnsafeSlow(size());
  let off = 0;
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const s = copyField(row[i]);
      // A UTF-16 code unit never takes more than three bytes in UTF-8; count exactly only when tight.
      let room = s.length * 3 + 1;
      if (off + room > buf.length) room = Buffer.byteLength(s, 'utf8') + 1;
      if (off + room > buf.length) {
        if (off > 0) out.push(buf.subarray(0, off));
        estimate = Math.max(0, estimate - off);
        buf = Buffer.allocUnsafeSlow(Math.max(size(), room));
        off = 0;
      }
      off += buf.write(s, off, 'utf8');
      buf[off++] = i === row.length - 1 ? 0x0a : 0x09;
    }
  }
  out.push(buf.subarray(0, off));
  return out;
}

const UNESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
const unescapeField = (f: string): string | null =>
  f === '\\N' ? null : f.includes('\\') ? f.replace(/\\(.)/g, (_, c: string) => UNESCAPES[c] ?? c) : f;

/** The rows of COPY text made by copyChunks, every value as text (or null), as the server reads them. */
export function parseCopyText(chunks: readonly Uint8Array[]): (string | null)[][] {
  const text = Buffer.concat(chunks).toString('utf8');
  // Escaped newlines and tabs are `\n` and `\t`: raw ones only end rows and fields.
  const lines = text.split('\n');
  lines.pop(); // after the last row's newline
  return lines.map((line) => line.split('\t').map(unescapeField));
}

/** A double-quoted SQL identifier. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `COPY "table" ("a", "b") FROM <source>` in text format. */
export const copySql = (table: string, columns: readonly string[], source: string) =>
  `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source}`;
