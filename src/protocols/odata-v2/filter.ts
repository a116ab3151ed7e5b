// $filter expressions as plain strings, built from small helpers so that literals are always
// encoded and precedence is explicit: and(eq('A', 'x'), ge('B', lit.datetimeOffset(d))).
import { toLiteral } from './literals.ts';
import type { LiteralInput } from './literals.ts';

export type Filter = string;
type Part = Filter | null | undefined | false;

const cmp =
  (op: string) =>
  (property: string, value: LiteralInput): Filter =>
    `${property} ${op} ${toLiteral(value)}`;

export const eq = cmp('eq');
export const ne = cmp('ne');
export const gt = cmp('gt');
export const ge = cmp('ge');
export const lt = cmp('lt');
export const le = cmp('le');

function join(op: 'and' | 'or', parts: Part[]): Filter {
  const list = parts.filter((p): p is Filter => typeof p === 'string' && p !== '');
  if (list.length <= 1) return list[0] ?? '';
  return list.map((p) => (/\s(and|or)\s/.test(p) && !isWrapped(p) ? `(${p})` : p)).join(` ${op} `);
}

function isWrapped(p: string): boolean {
  if (!p.startsWith('(') || !p.endsWith(')')) return false;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth === 0 && i < p.length - 1) return false;
  }
  return true;
}

/** Parts that are null/undefined/false/'' are left out, so optional conditions read naturally. */
export const and = (...parts: Part[]): Filter => join('and', parts);
export const or = (...parts: Part[]): Filter => join('or', parts);
export const not = (p: Filter): Filter => `not (${p})`;
/** Any of the values: `(P eq 'a' or P eq 'b')`. */
export const anyOf = (property: string, values: LiteralInput[]): Filter =>
  values.length === 0
    ? ''
    : values.length === 1
      ? eq(property, values[0])
      : `(${or(...values.map((v) => eq(property, v)))})`;
export const startswith = (property: string, prefix: string): Filter =>
  `startswith(${property},${toLiteral(prefix)}) eq true`;
export const substringof = (needle: string, property: string): Filter =>
  `substringof(${toLiteral(needle)},${property}) eq true`;
