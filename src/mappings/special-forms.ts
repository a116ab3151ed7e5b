// Built-ins that are not plain functions of their evaluated arguments: lazy ones (if, coalesce),
// ones that precompute at compile time (map tables, sum paths) and ref(), which needs the scope.
import type { Evaluator } from './compile-expr.ts';
import { trytonClass } from './dates.ts';
import { MappingSyntaxError } from './errors.ts';
import { sumList, tidySum } from './functions.ts';
import { parsePathText, type Node, type Step } from './parser.ts';
import { compileSteps } from './paths.ts';
import { RefMemo } from './ref-cache.ts';
import { toKey, toList, toNumber, toText, truthy } from './values.ts';

export type CallNode = Extract<Node, { type: 'call' }>;
export type Compile = (node: Node) => Evaluator;

function constant(node: Node): { value: unknown } | null {
  if (node.type === 'literal') return { value: node.value };
  return null;
}

/** Lazy: only the chosen branch is evaluated. */
export function compileIf(node: CallNode, compile: Compile): Evaluator {
  const [cond, then, otherwise] = node.args.map((a) => compile(a));
  if (otherwise === undefined) return (s) => (truthy(cond(s)) ? then(s) : null);
  return (s) => (truthy(cond(s)) ? then(s) : otherwise(s));
}

/** Lazy: stops at the first non-null, non-empty value. */
export function compileCoalesce(node: CallNode, compile: Compile): Evaluator {
  const args = node.args.map((a) => compile(a));
  return (s) => {
    for (const a of args) {
      const v = a(s);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  };
}

export function compileMap(node: CallNode, compile: Compile): Evaluator {
  const [keyNode, tableNode, defaultNode] = node.args;
  const key = compile(keyNode);
  const fallback: Evaluator = defaultNode === undefined ? () => null : compile(defaultNode);
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
  const tableEv = compile(tableNode);
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

export function compileRef(node: CallNode, compile: Compile): Evaluator {
  const [entityNode, idNode] = node.args;
  const entity = compile(entityNode);
  const id = compile(idNode);
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

export function compileSum(node: CallNode, compile: Compile): Evaluator {
  const [listNode, pathNode] = node.args;
  const list = compile(listNode);
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
  const path = compile(pathNode);
  return (s) => {
    const p = path(s);
    if (typeof p !== 'string') return sumList(list(s), null);
    return sumList(list(s), compileSteps(parsePathText(p)));
  };
}
