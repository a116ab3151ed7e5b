// Splits an expression into tokens. Keywords (and, or, not, true, false, null) are emitted as names:
// only the parser knows whether `or` is an operator or a field name after a `.`.
import { MappingSyntaxError } from './errors.ts';

export type TokenKind = 'name' | 'string' | 'number' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  /** Name, punctuation/operator text, or the decoded string literal. */
  text: string;
  /** Value of a number literal. */
  num: number;
  /** Offset of the token's first character. */
  pos: number;
  /** Offset just past the token (for error messages that quote the source). */
  end: number;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
  '0': '\0',
};

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

export function describeChar(ch: string): string {
  return JSON.stringify(ch);
}

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    // space, tab, LF, CR: expressions may be written over several lines in JSON mapping files
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (isNameStart(c)) {
      i++;
      while (i < n && isNamePart(src.charCodeAt(i))) i++;
      out.push({ kind: 'name', text: src.slice(start, i), num: 0, pos: start, end: i });
      continue;
    }
    if (isDigit(c) || (c === 45 /* - */ && i + 1 < n && isDigit(src.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isDigit(src.charCodeAt(i))) i++;
      if (i + 1 < n && src.charCodeAt(i) === 46 /* . */ && isDigit(src.charCodeAt(i + 1))) {
        i++;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
      }
      const text = src.slice(start, i);
      out.push({ kind: 'number', text, num: Number(text), pos: start, end: i });
      continue;
    }
    if (c === 39 /* ' */ || c === 34 /* " */) {
      i = readString(src, i, out);
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === '??' || two === '!=' || two === '<=' || two === '>=') {
      out.push({ kind: 'punct', text: two, num: 0, pos: start, end: i + 2 });
      i += 2;
      continue;
    }
    const ch = src[i];
    if ('()[]{},:.=<>'.includes(ch)) {
      out.push({ kind: 'punct', text: ch, num: 0, pos: start, end: i + 1 });
      i++;
      continue;
    }
    throw new MappingSyntaxError(`Unexpected ${describeChar(ch)} at position ${i}`, i);
  }
  out.push({ kind: 'end', text: '', num: 0, pos: n, end: n });
  return out;
}

function readString(src: string, start: number, out: Token[]): number {
  const quote = src[start];
  const n = src.length;
  let i = start + 1;
  let text = '';
  let chunk = i;
  while (i < n) {
    const ch = src[i];
    if (ch === quote) {
      text += src.slice(chunk, i);
      out.push({ kind: 'string', text, num: 0, pos: start, end: i + 1 });
      return i + 1;
    }
    if (ch === '\\') {
      text += src.slice(chunk, i);
      const esc = src[i + 1];
      if (esc === undefined) break;
      if (esc === 'u') {
        const hex = src.slice(i + 2, i + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
          throw new MappingSyntaxError(`Invalid escape "\\u${hex}" at position ${i}`, i);
        }
        text += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else {
        const decoded = SIMPLE_ESCAPES[esc];
        if (decoded === undefined) {
          throw new MappingSyntaxError(`Invalid escape "\\${esc}" at position ${i}`, i);
        }
        text += decoded;
        i += 2;
      }
      chunk = i;
      continue;
    }
    i++;
  }
  throw new MappingSyntaxError(`Unterminated string at position ${start}`, start);
}
