// Compiles expression ASTs to plain closures (no eval / new Function: mappings come from customers).
// Paths become precomputed key arrays, `map()` tables become Maps, and compiled expressions are cached
// by source text per function table, so a mapping compiled once per sync run costs nothing afterwards.
import { MappingSyntaxError } from './errors.ts';
import { BUILTINS, sumList, tidySum, type FunctionSpec, type MappingFunction } from './functions.ts';
import { parseExpr, parsePathText, type Node, type Step } from './parser.ts';
import { trytonClass } from './dates.ts';
import { RefMemo } from './ref-cache.ts';
import { compareValues, toKey, toList, toNumber, toText, truthy, valuesEqual } from './values.ts';

export interface MappingContext {
  /** Connection the record was read from; `ref()` needs it to derive Ironbridge ids. */
  connectionId: string;
}

/** What an expression is evaluated against. */
export interface Scope {
  /** The record being mapped (the element inside `each`). */
  $: unknown;
  /** The top-level record; defaults to `$`. */
  $root?: unknown;
  ctx?: MappingContext;
}

export type Evaluator = (scope: Scope) => unknown;

export interface CompileOptions {
  /** Extra pure functions (a connector's `mappingFunctions`); they take precedence over built-ins. */
  functions?: Record<string, MappingFunction>;
}

const MAX_CACHED = 10_000;
const defaultCache = new Map<string, Evaluator>();
const cachesByFunctions = new WeakMap<object, Map<string, Evaluator>>();

/** Compiles (or returns the cached closure for) one expression. Throws MappingSyntaxError. */
export function compileExpr(src: string, opts: CompileOptions = {}): Evaluator {
  const fns = opts.functions;
  let cache = defaultCache;
  if (fns !== undefined) {
    cache = cachesByFunctions.get(fns) ?? new Map();
    cachesByFunctions.set(fns, cache);
  }
  let ev = cache.get(src);
  if (ev === undefined) {
    ev = compileNode(parseExpr(src), fns);
    // Overrides are customer input; a bounded cache keeps a long-running server from growing forever.
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(src, ev);
  }
  return ev;
}

/** Number of cached expressions for a function table (or the built-ins only); for tests and metrics. */
export function compiledCacheSize(functions?: Record<string, MappingFunction>): number {
  return functions === undefined ? defaultCache.size : (cachesByFunctions.get(functions)?.size ?? 0);
}

// ---- paths ----------------------------------------------------------------------------------------

// Keys inherited from Object.prototype (constructor, __proto__, toString...) must be own properties,
// otherwise `$.constructor` would hand out a function.
function isInheritedKey(k: string): boolean {
  return k in Object.prototype;
}

function stepValue(v: unknown, k: Step): unknown {
  if (v === null || typeof v !== 'object') return null;
  if (typeof k === 'number') {
    if (!Array.isArray(v)) return null;
    const r = v[k];
    return r === undefined ? null : r;
  }
  if (Array.isArray(v) || (isInheritedKey(k) && !Object.hasOwn(v, k))) return null;
  const r = (v as Record<string, unknown>)[k];
  return r === undefined || typeof r === 'function' ? null : r;
}

function walk(v: unknown, steps: Step[]): unknown {
  for (let i = 0; i < steps.length && v !== null; i++) v = stepValue(v, steps[i]);
  return v;
}

/** The common case, one plain field of a plain object, without the generic step dispatch. */
function fieldGetter(k: string): (v: unknown) => unknown {
  if (isInheritedKey(k)) return (v) => stepValue(v, k);
  return (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const r = (v as Record<string, unknown>)[k];
    return r === undefined || typeof r === 'function' ? null : r;
  };
}

/** `(v) => value at steps` with one or two plain steps unrolled. */
export function compileSteps(steps: Step[]): (v: unknown) => unknown {
  if (steps.length === 1 && typeof steps[0] === 'string') return fieldGetter(steps[0]);
  if (steps.length === 2 && typeof steps[0] === 'string' && typeof steps[1] === 'string') {
    const a = fieldGetter(steps[0]);
    const b = fieldGetter(steps[1]);
    return (v) => b(a(v));
  }
  const copy = steps.slice();
  return (v) => walk(v, copy);
}

function compilePath(root: 'record' | 'root', steps: Step[]): Evaluator {
  if (root === 'record') {
    if (steps.length === 0) return (s) => (s.$ === undefined ? null : s.$);
    const k = steps[0];
    // A bare field name is most of every mapping: one closure, no nested getter call.
    if (steps.length === 1 && typeof k === 'string' && !isInheritedKey(k)) {
      return (s) => {
        const v = s.$;
        if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
        const r = (v as Record<string, unknown>)[k];
        return r === undefined || typeof r === 'function' ? null : r;
      };
    }
    const get = compileSteps(steps);
    return (s) => get(s.$);
  }
  if (steps.length === 0) return (s) => (s.$root === undefined ? s.$ : s.$root) ?? null;
  const get = compileSteps(steps);
  return (s) => get(s.$root === undefined ? s.$ : s.$root);
}

// ---- nodes ----------------------------------------------------------------------------------------

function constant(node: Node): { value: unknown } | null {
  if (node.type === 'literal') return { value: node.value };
  return null;
}

function compileNode(node: Node, fns: Record<string, MappingFunction> | undefined): Evaluator {
  switch (node.type) {
    case 'literal': {
      const v = node.value;
      return () => v;
    }
    case 'path':
      return compilePath(node.root, node.steps);
    case 'member': {
      const target = compileNode(node.target, fns);
      const get = compileSteps(node.steps);
      return (s) => get(target(s));
    }
    case 'object': {
      const entries = node.entries.map((e) => [e.key, compileNode(e.value, fns)] as const);
      // A fresh object per evaluation: results may be mutated downstream. fromEntries is safe for "__proto__".
      return (s) => Object.fromEntries(entries.map(([k, ev]) => [k, ev(s)]));
    }
    case 'array': {
      const items = node.items.map((n) => compileNode(n, fns));
      return (s) => items.map((ev) => ev(s));
    }
    case 'not': {
      const arg = compileNode(node.arg, fns);
      return (s) => !truthy(arg(s));
    }
    case 'logical': {
      const l = compileNode(node.left, fns);
      const r = compileNode(node.right, fns);
      if (node.op === 'and') return (s) => truthy(l(s)) && truthy(r(s));
      if (node.op === 'or') return (s) => truthy(l(s)) || truthy(r(s));
      return (s) => {
        const v = l(s);
        return v === null || v === undefined || v === '' ? r(s) : v;
      };
    }
    case 'compare': {
      const l = compileNode(node.left, fns);
      const r = compileNode(node.right, fns);
      switch (node.op) {
        case '=':
          return (s) => valuesEqual(l(s), r(s));
        case '!=':
          return (s) => !valuesEqual(l(s), r(s));
        default:
          return compileOrdering(node.op, l, r);
      }
    }
    case 'call':
      return compileCall(node, fns);
  }
}

function compileOrdering(op: '<' | '<=' | '>' | '>=', l: Evaluator, r: Evaluator): Evaluator {
  const test =
    op === '<'
      ? (c: number) => c < 0
      : op === '<='
        ? (c: number) => c <= 0
        : op === '>'
          ? (c: number) => c > 0
          : (c: number) => c >= 0;
  return (s) => {
    const c = compareValues(l(s), r(s));
    return c !== null && test(c);
  };
}

function arityError(name: string, spec: FunctionSpec, got: number, pos: number): MappingSyntaxError {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  const want =
    spec.min === spec.max
      ? plural(spec.min)
      : spec.max === Number.POSITIVE_INFINITY
        ? `at least ${plural(spec.min)}`
        : `${spec.min} to ${spec.max} arguments`;
  return new MappingSyntaxError(`Function "${name}" expects ${want}, got ${got} at position ${pos}`, pos);
}

type CallNode = Extract<Node, { type: 'call' }>;

function compileCall(node: CallNode, fns: Record<string, MappingFunction> | undefined): Evaluator {
  const { name, pos } = node;
  const custom = fns !== undefined && Object.hasOwn(fns, name) ? fns[name] : undefined;
  if (custom !== undefined) {
    if (typeof custom !== 'function') {
      throw new MappingSyntaxError(`Function "${name}" is not a function at position ${pos}`, pos);
    }
    return callPure(custom, node.args, fns);
  }
  const spec = Object.hasOwn(BUILTINS, name) ? BUILTINS[name] : undefined;
  if (spec === undefined) throw new MappingSyntaxError(`Unknown function "${name}" at position ${pos}`, pos);
  const n = node.args.length;
  if (n < spec.min || n > spec.max) throw arityError(name, spec, n, pos);
  if (spec.fn !== undefined) return callPure(spec.fn, node.args, fns);
  switch (name) {
    case 'if':
      return compileIf(node, fns);
    case 'coalesce':
      return compileCoalesce(node, fns);
    case 'map':
      return compileMap(node, fns);
    case 'ref':
      return compileRef(node, fns);
    default:
      return compileSum(node, fns);
  }
}

/** The field name when `node` is a bare field of `$` (`Supplier`), which most arguments are. */
function bareField(node: Node): string | null {
  if (node.type !== 'path' || node.root !== 'record' || node.steps.length !== 1) return null;
  const k = node.steps[0];
  return typeof k === 'string' && !isInheritedKey(k) ? k : null;
}

function callPure(
  fn: MappingFunction,
  argNodes: Node[],
  fns: Record<string, MappingFunction> | undefined,
): Evaluator {
  const field = argNodes.length === 1 ? bareField(argNodes[0]) : null;
  if (field !== null) {
    // `f(Field)` with the field read inlined: one closure call less for the most common shape.
    return (s) => {
      const v = s.$;
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return fn(null);
      const r = (v as Record<string, unknown>)[field];
      return fn(r === undefined || typeof r === 'function' ? null : r);
    };
  }
  const args = argNodes.map((a) => compileNode(a, fns));
  switch (args.length) {
    case 0:
      return () => fn();
    case 1: {
      const [a] = args;
      return (s) => fn(a(s));
    }
    case 2: {
      const [a, b] = args;
      return (s) => fn(a(s), b(s));
    }
    case 3: {
      const [a, b, c] = args;
      return (s) => fn(a(s), b(s), c(s));
    }
    default:
      return (s) => fn(...args.map((a) => a(s)));
  }
}

/** Lazy: only the chosen branch is evaluated. */
function compileIf(node: CallNode, fns: Record<string, MappingFunction> | undefined): Evaluator {
  const [cond, then, otherwise] = node.args.map((a) => compileNode(a, fns));
  if (otherwise === undefined) return (s) => (truthy(cond(s)) ? then(s) : null);
  return (s) => (truthy(cond(s)) ? then(s) : otherwise(s));
}

/** Lazy: stops at the first non-null, non-empty value. */
function compileCoalesce(node: CallNode, fns: Record<string, MappingFunction> | undefined): Evaluator {
  const args = node.args.map((a) => compileNode(a, fns));
  return (s) => {
    for (const a of args) {
      const v = a(s);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  };
}

function compileMap(node: CallNode, fns: Record<string, MappingFunction> | undefined): Evaluator {
  const [keyNode, tableNode, defaultNode] = node.args;
  const key = compileNode(keyNode, fns);
  const fallback: Evaluator = defaultNode === undefined ? () => null : compileNode(defaultNode, fns);
  if (tableNode.type === 'object' && tableNode.entries.every((e) => constant(e.value) !== null)) {
    const table = new Map<string, unknown>();
    for (const e of tableNode.entries) table.set(e.key, constant(e.value)!.value);
    return (s) => {
      const x = key(s);
      if (x === null || x === undefined) return null;
      const k = toKey(x);
      if (k !== null) {
        const v = table.get(k);
        if (v !== undefined) return v;
      }
      return fallback(s);
    };
  }
  const tableEv = compileNode(tableNode, fns);
  return (s) => {
    const x = key(s);
    if (x === null || x === undefined) return null;
    const k = toKey(x);
    const t = tableEv(s);
    if (k !== null && t !== null && typeof t === 'object' && !Array.isArray(t) && Object.hasOwn(t, k)) {
      const v = (t as Record<string, unknown>)[k];
      return v === undefined ? null : v;
    }
    return fallback(s);
  };
}

function refId(x: unknown): string | null {
  if (x === null || x === undefined || x === '') return null;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'bigint' || trytonClass(x) === 'Decimal') return toText(x);
  throw new Error(`ref() needs a text or number id, got ${JSON.stringify(x)}`);
}

function compileRef(node: CallNode, fns: Record<string, MappingFunction> | undefined): Evaluator {
  const [entityNode, idNode] = node.args;
  const entity = compileNode(entityNode, fns);
  const id = compileNode(idNode, fns);
  const memo = new RefMemo();
  return (s) => {
    const remote = refId(id(s));
    if (remote === null) return null;
    const e = entity(s);
    if (typeof e !== 'string' || e === '')
      throw new Error('ref() needs an entity name as its first argument');
    const conn = s.ctx?.connectionId;
    if (conn === undefined) throw new Error('ref() needs a connection (ctx.connectionId)');
    return memo.id(conn, e, remote);
  };
}

function compileSum(node: CallNode, fns: Record<string, MappingFunction> | undefined): Evaluator {
  const [listNode, pathNode] = node.args;
  const list = compileNode(listNode, fns);
  if (pathNode === undefined) return (s) => sumList(list(s), null);
  if (pathNode.type === 'literal' && typeof pathNode.value === 'string') {
    let steps: Step[];
    try {
      steps = parsePathText(pathNode.value);
    } catch (err) {
      const msg = err instanceof MappingSyntaxError ? err.message : String(err);
      throw new MappingSyntaxError(`Invalid path in sum() at position ${pathNode.pos}: ${msg}`, pathNode.pos);
    }
    const pick = compileSteps(steps);
    return (s) => {
      const l = toList(list(s));
      if (l === null) return null;
      let total = 0;
      for (let i = 0; i < l.length; i++) {
        const n = toNumber(pick(l[i]));
        if (n !== null) total += n;
      }
      return tidySum(total);
    };
  }
  const path = compileNode(pathNode, fns);
  return (s) => {
    const p = path(s);
    if (typeof p !== 'string') return sumList(list(s), null);
    return sumList(list(s), compileSteps(parsePathText(p)));
  };
}
