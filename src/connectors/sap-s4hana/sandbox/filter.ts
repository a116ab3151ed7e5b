// $filter of OData v2: parsed into a tree, checked against the entity type (unknown or
// sap:filterable="false" properties are refused like Gateway does) and compiled to a predicate.
import type { EntityTypeModel, EdmType } from './edmx.ts';
import { defaultValue, literalFits, parseLiteral, type Literal, type Value } from './edm-values.ts';
import { SapError } from './errors.ts';

export type FilterNode =
  | { k: 'lit'; lit: Literal }
  | { k: 'prop'; name: string }
  | { k: 'not'; a: FilterNode }
  | { k: 'and' | 'or'; a: FilterNode; b: FilterNode }
  | { k: 'cmp'; op: CmpOp; a: FilterNode; b: FilterNode }
  | { k: 'fn'; name: string; args: FilterNode[] };

export type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

const FUNCTIONS: Record<string, { arity: number[]; result: 'bool' | 'string' | 'number' }> = {
  substringof: { arity: [2], result: 'bool' },
  startswith: { arity: [2], result: 'bool' },
  endswith: { arity: [2], result: 'bool' },
  tolower: { arity: [1], result: 'string' },
  toupper: { arity: [1], result: 'string' },
  trim: { arity: [1], result: 'string' },
  length: { arity: [1], result: 'number' },
  indexof: { arity: [2], result: 'number' },
  concat: { arity: [2], result: 'string' },
  substring: { arity: [2, 3], result: 'string' },
};

type Token = { t: 'punct' | 'word' | 'lit'; v: string; lit?: Literal };

function syntax(msg: string): SapError {
  return new SapError(400, '/IWBEP/CM_MGW_RT/022', `Invalid filter expression: ${msg}`);
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    // Literals: optional prefix (datetime, guid...) then a quoted body where '' escapes a quote.
    const prefixed = /^(datetimeoffset|datetime|guid|time|)'/i.exec(src.slice(i, i + 16));
    if (prefixed) {
      let j = i + prefixed[0].length;
      for (;;) {
        if (j >= src.length) throw syntax('unterminated string literal');
        if (src[j] === "'") {
          if (src[j + 1] === "'") j += 2;
          else break;
        } else j++;
      }
      const text = src.slice(i, j + 1);
      const lit = parseLiteral(text);
      if (!lit) throw syntax(`malformed literal ${text}`);
      out.push({ t: 'lit', v: text, lit });
      i = j + 1;
      continue;
    }
    const num = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[mMdDfFlL]?/.exec(src.slice(i));
    if (num && (c !== '-' && c !== '+' ? true : /\d|\./.test(src[i + 1] ?? ''))) {
      out.push({ t: 'lit', v: num[0], lit: parseLiteral(num[0])! });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][\w/.]*/.exec(src.slice(i));
    if (word) {
      const w = word[0];
      if (w === 'true' || w === 'false' || w === 'null') out.push({ t: 'lit', v: w, lit: parseLiteral(w)! });
      else out.push({ t: 'word', v: w });
      i += w.length;
      continue;
    }
    throw syntax(`unexpected character '${c}' at position ${i}`);
  }
  return out;
}

export function parseFilter(src: string): FilterNode {
  const toks = tokenize(src);
  let pos = 0;
  const peek = () => toks[pos];
  const isWord = (v: string) => peek()?.t === 'word' && peek().v === v;
  const expect = (v: string) => {
    if (peek()?.v !== v) throw syntax(`expected '${v}'`);
    pos++;
  };
  function or(): FilterNode {
    let a = and();
    while (isWord('or')) {
      pos++;
      a = { k: 'or', a, b: and() };
    }
    return a;
  }
  function and(): FilterNode {
    let a = not();
    while (isWord('and')) {
      pos++;
      a = { k: 'and', a, b: not() };
    }
    return a;
  }
  function not(): FilterNode {
    if (isWord('not')) {
      pos++;
      return { k: 'not', a: not() };
    }
    return cmp();
  }
  function cmp(): FilterNode {
    const a = primary();
    const t = peek();
    if (t?.t === 'word' && CMP.has(t.v)) {
      pos++;
      return { k: 'cmp', op: t.v as CmpOp, a, b: primary() };
    }
    return a;
  }
  function primary(): FilterNode {
    const t = peek();
    if (!t) throw syntax('unexpected end of expression');
    pos++;
    if (t.t === 'punct' && t.v === '(') {
      const e = or();
      expect(')');
      return e;
    }
    if (t.t === 'lit') return { k: 'lit', lit: t.lit! };
    if (t.t === 'word') {
      if (peek()?.v === '(') {
        const name = t.v.toLowerCase();
        if (!FUNCTIONS[name]) throw syntax(`unknown function ${t.v}`);
        pos++;
        const args: FilterNode[] = [];
        if (peek()?.v !== ')') {
          args.push(or());
          while (peek()?.v === ',') {
            pos++;
            args.push(or());
          }
        }
        expect(')');
        if (!FUNCTIONS[name].arity.includes(args.length))
          throw syntax(`wrong number of arguments for ${t.v}`);
        return { k: 'fn', name, args };
      }
      if (CMP.has(t.v) || t.v === 'and' || t.v === 'or') throw syntax(`unexpected operator ${t.v}`);
      return { k: 'prop', name: t.v };
    }
    throw syntax(`unexpected '${t.v}'`);
  }
  const tree = or();
  if (pos !== toks.length) throw syntax(`unexpected '${toks[pos].v}'`);
  return tree;
}

export type Rec = Record<string, Value | undefined>;
type Compiled = (r: Rec) => Value;
type Kind = 'bool' | 'string' | 'number' | 'date' | 'other' | 'null';

function kindOfType(t: EdmType): Kind {
  if (t === 'Edm.String') return 'string';
  if (t === 'Edm.Boolean') return 'bool';
  if (t === 'Edm.DateTime' || t === 'Edm.DateTimeOffset') return 'date';
  if (t === 'Edm.Guid' || t === 'Edm.Time' || t === 'Edm.Binary') return 'other';
  return 'number';
}

function kindOfLiteral(l: Literal): Kind {
  switch (l.kind) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    case 'null':
      return 'null';
    case 'datetime':
    case 'datetimeoffset':
      return 'date';
    default:
      return 'other';
  }
}

function compare(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** Compiles a checked filter to a predicate; throws 400 SapErrors for type or annotation problems. */
export function compileFilter(node: FilterNode, type: EntityTypeModel): (r: Rec) => boolean {
  function build(n: FilterNode): { f: Compiled; kind: Kind } {
    switch (n.k) {
      case 'lit': {
        const v = n.lit.value;
        return { f: () => v, kind: kindOfLiteral(n.lit) };
      }
      case 'prop': {
        const p = type.properties.get(n.name);
        if (!p) {
          if (type.navs.has(n.name) || n.name.includes('/')) {
            throw new SapError(
              400,
              '/IWBEP/CM_MGW_RT/022',
              `Filtering over navigation '${n.name}' is not supported`,
            );
          }
          throw new SapError(
            400,
            '/IWBEP/CM_MGW_RT/022',
            `Property '${n.name}' not found in type '${type.name}'`,
          );
        }
        if (!p.filterable) {
          throw new SapError(400, '/IWBEP/CM_MGW_RT/022', `Property '${n.name}' is not filterable`);
        }
        const name = p.name;
        const dflt = defaultValue(p.type);
        return {
          f: (r) => {
            const v = r[name];
            return v === undefined ? dflt : v;
          },
          kind: kindOfType(p.type),
        };
      }
      case 'not': {
        const a = bool(n.a);
        return { f: (r) => !a(r), kind: 'bool' };
      }
      case 'and':
      case 'or': {
        const a = bool(n.a);
        const b = bool(n.b);
        return { f: n.k === 'and' ? (r) => a(r) && b(r) : (r) => a(r) || b(r), kind: 'bool' };
      }
      case 'cmp': {
        const a = build(n.a);
        const b = build(n.b);
        if (a.kind !== 'null' && b.kind !== 'null' && a.kind !== b.kind) {
          const lit = n.b.k === 'lit' ? n.b : n.a.k === 'lit' ? n.a : undefined;
          const prop = n.a.k === 'prop' ? n.a : n.b.k === 'prop' ? n.b : undefined;
          const pt = prop ? type.properties.get(prop.name)?.type : undefined;
          if (!(lit && pt && literalFits(pt, lit.lit.kind))) {
            throw new SapError(
              400,
              '/IWBEP/CM_MGW_RT/022',
              `Invalid filter expression: incompatible operands in '${n.op}'`,
            );
          }
        }
        const fa = a.f;
        const fb = b.f;
        switch (n.op) {
          case 'eq':
            return { f: (r) => fa(r) === fb(r), kind: 'bool' };
          case 'ne':
            return { f: (r) => fa(r) !== fb(r), kind: 'bool' };
          default: {
            const op = n.op;
            return {
              f: (r) => {
                const x = fa(r);
                const y = fb(r);
                if (x === null || y === null) return false;
                const c = compare(x, y);
                return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
              },
              kind: 'bool',
            };
          }
        }
      }
      case 'fn':
        return fn(n.name, n.args);
    }
  }
  function bool(n: FilterNode): (r: Rec) => boolean {
    const b = build(n);
    if (b.kind !== 'bool') throw syntax('operand is not a boolean expression');
    return b.f as (r: Rec) => boolean;
  }
  function str(n: FilterNode): (r: Rec) => string {
    const b = build(n);
    if (b.kind !== 'string') throw syntax('function argument must be a string');
    return (r) => String(b.f(r) ?? '');
  }
  function num(n: FilterNode): (r: Rec) => number {
    const b = build(n);
    if (b.kind !== 'number') throw syntax('function argument must be a number');
    return (r) => Number(b.f(r));
  }
  function fn(name: string, args: FilterNode[]): { f: Compiled; kind: Kind } {
    const kind = FUNCTIONS[name].result;
    if (name === 'substringof') {
      const [needle, hay] = [str(args[0]), str(args[1])];
      return { f: (r) => hay(r).includes(needle(r)), kind };
    }
    if (name === 'startswith' || name === 'endswith' || name === 'indexof' || name === 'concat') {
      const [a, b] = [str(args[0]), str(args[1])];
      if (name === 'startswith') return { f: (r) => a(r).startsWith(b(r)), kind };
      if (name === 'endswith') return { f: (r) => a(r).endsWith(b(r)), kind };
      if (name === 'indexof') return { f: (r) => a(r).indexOf(b(r)), kind };
      return { f: (r) => a(r) + b(r), kind };
    }
    if (name === 'substring') {
      const s = str(args[0]);
      const from = num(args[1]);
      const len = args[2] ? num(args[2]) : undefined;
      return { f: (r) => (len ? s(r).substr(from(r), len(r)) : s(r).slice(from(r))), kind };
    }
    const s = str(args[0]);
    if (name === 'tolower') return { f: (r) => s(r).toLowerCase(), kind };
    if (name === 'toupper') return { f: (r) => s(r).toUpperCase(), kind };
    if (name === 'trim') return { f: (r) => s(r).trim(), kind };
    return { f: (r) => s(r).length, kind };
  }
  return bool(node);
}

/** A range on one property, taken from the top-level AND chain so an index can answer it. */
export interface Range {
  lo?: number;
  loInclusive: boolean;
  hi?: number;
  hiInclusive: boolean;
}

const FLIP: Record<CmpOp, CmpOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

/**
 * Splits `prop op literal and rest` into an index range on `prop` and the residual filter.
 * Only numeric/date literals qualify; everything else stays in the residual.
 */
export function extractRange(node: FilterNode, prop: string): { range?: Range; rest?: FilterNode } {
  const conjuncts: FilterNode[] = [];
  const collect = (n: FilterNode): void => {
    if (n.k === 'and') {
      collect(n.a);
      collect(n.b);
    } else conjuncts.push(n);
  };
  collect(node);
  let range: Range | undefined;
  const rest: FilterNode[] = [];
  for (const c of conjuncts) {
    let op: CmpOp | undefined;
    let v: Value | undefined;
    if (c.k === 'cmp' && c.a.k === 'prop' && c.a.name === prop && c.b.k === 'lit') {
      op = c.op;
      v = c.b.lit.value;
    } else if (c.k === 'cmp' && c.b.k === 'prop' && c.b.name === prop && c.a.k === 'lit') {
      op = FLIP[c.op];
      v = c.a.lit.value;
    }
    if (op === undefined || op === 'ne' || typeof v !== 'number') {
      rest.push(c);
      continue;
    }
    range ??= { loInclusive: true, hiInclusive: true };
    if (op === 'gt' || op === 'ge' || op === 'eq') {
      const incl = op !== 'gt';
      if (range.lo === undefined || v > range.lo || (v === range.lo && !incl)) {
        range.lo = v;
        range.loInclusive = incl;
      }
    }
    if (op === 'lt' || op === 'le' || op === 'eq') {
      const incl = op !== 'lt';
      if (range.hi === undefined || v < range.hi || (v === range.hi && !incl)) {
        range.hi = v;
        range.hiInclusive = incl;
      }
    }
  }
  const restNode = rest.reduce<FilterNode | undefined>(
    (acc, n) => (acc ? { k: 'and', a: acc, b: n } : n),
    undefined,
  );
  return { range, rest: restNode };
}
