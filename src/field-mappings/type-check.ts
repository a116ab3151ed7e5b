// Static check that an expression's result can fit a unified field: an enum field takes only its
// values, a number field takes numbers. Paths are untyped (the source decides), so they pass.
import { z } from 'zod';
import { parseExpr, type ExprNode } from '../mappings/index.ts';

type Kind =
  | { t: 'any' }
  | { t: 'string'; literal?: string }
  | { t: 'number' }
  | { t: 'boolean' }
  | { t: 'object' }
  | { t: 'array' }
  | { t: 'null' };

const STRING_FNS = new Set([
  'string',
  'trim',
  'upper',
  'lower',
  'concat',
  'join',
  'strip_zeros',
  'substr',
  'replace',
  'ref_key',
  'ref',
  'date',
  'datetime',
  'datetime_of',
]);
const NUMBER_FNS = new Set(['number', 'decimal', 'int', 'count', 'sum', 'round']);

function kinds(n: ExprNode): Kind[] {
  switch (n.type) {
    case 'literal':
      if (n.value === null) return [{ t: 'null' }];
      if (typeof n.value === 'string') return [{ t: 'string', literal: n.value }];
      return [{ t: typeof n.value === 'number' ? 'number' : 'boolean' }];
    case 'compare':
    case 'not':
      return [{ t: 'boolean' }];
    case 'logical':
      return n.op === '??' ? [...kinds(n.left), ...kinds(n.right)] : [{ t: 'boolean' }];
    case 'object':
      return [{ t: 'object' }];
    case 'array':
      return [{ t: 'array' }];
    case 'call': {
      if (STRING_FNS.has(n.name)) return [{ t: 'string' }];
      if (NUMBER_FNS.has(n.name)) return [{ t: 'number' }];
      if (n.name === 'bool') return [{ t: 'boolean' }];
      if (n.name === 'map') {
        const table = n.args[1];
        const values =
          table?.type === 'object' ? table.entries.flatMap((e) => kinds(e.value)) : [{ t: 'any' } as Kind];
        return [...values, ...(n.args[2] ? kinds(n.args[2]) : [{ t: 'null' } as Kind])];
      }
      if (n.name === 'if')
        return [...kinds(n.args[1]), ...(n.args[2] ? kinds(n.args[2]) : [{ t: 'null' } as Kind])];
      if (n.name === 'coalesce') return n.args.flatMap(kinds);
      return [{ t: 'any' }];
    }
    default:
      return [{ t: 'any' }];
  }
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur: any = s;
  while (cur instanceof z.ZodNullable || cur instanceof z.ZodOptional || cur instanceof z.ZodDefault)
    cur = cur.unwrap();
  return cur;
}

/** null when the expression fits the schema field, else a message saying why not. */
export function fitsField(expr: string, field: z.ZodType): string | null {
  const target = unwrap(field);
  for (const k of kinds(parseExpr(expr))) {
    if (k.t === 'any' || k.t === 'null') continue;
    if (target instanceof z.ZodEnum) {
      const allowed = target.options as string[];
      if (k.t !== 'string') return `gives a ${k.t}, but the field takes one of ${allowed.join(', ')}`;
      if (k.literal !== undefined && !allowed.includes(k.literal)) {
        return `gives "${k.literal}", but the field takes one of ${allowed.join(', ')}`;
      }
    } else if (target instanceof z.ZodNumber) {
      if (k.t !== 'number')
        return `gives a ${k.t}, but the field is a number (wrap it in number() or decimal())`;
    } else if (target instanceof z.ZodString) {
      if (k.t !== 'string' && k.t !== 'number') return `gives a ${k.t}, but the field is text`;
    } else if (target instanceof z.ZodBoolean) {
      if (k.t !== 'boolean') return `gives a ${k.t}, but the field is true/false`;
    } else if (target instanceof z.ZodObject) {
      if (k.t !== 'object') return `gives a ${k.t}, but the field is an object`;
    } else if (target instanceof z.ZodArray) {
      if (k.t !== 'array') return `gives a ${k.t}, but the field is a list`;
    }
  }
  return null;
}
