// Compiles expression ASTs to plain closures (no eval / new Function: mappings come from customers).
// Paths become precomputed key arrays, `map()` tables become Maps, and compiled expressions are cached
// by source text per function table, so a mapping compiled once per sync run costs nothing afterwards.
import { MappingSyntaxError } from './errors.ts';
import { BUILTINS, type FunctionSpec, type MappingFunction } from './functions.ts';
import { parseExpr, type Node, type Step } from './parser.ts';
import { compileSteps, isInheritedKey } from './paths.ts';
import {
  compileCoalesce,
  compileIf,
  compileMap,
  compileRef,
  compileSum,
  type CallNode,
} from './special-forms.ts';
import { compareValues, truthy, valuesEqual } from './values.ts';

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
  const compile = (n: Node): Evaluator => compileNode(n, fns);
  switch (name) {
    case 'if':
      return compileIf(node, compile);
    case 'coalesce':
      return compileCoalesce(node, compile);
    case 'map':
      return compileMap(node, compile);
    case 'ref':
      return compileRef(node, compile);
    default:
      return compileSum(node, compile);
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
