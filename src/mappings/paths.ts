// Path steps over raw source records: a missing step is null, never an error, and only data the
// record itself holds is reachable (no inherited properties, no functions).
import type { Step } from './parser.ts';

// Keys inherited from Object.prototype (constructor, __proto__, toString...) must be own properties,
// otherwise `$.constructor` would hand out a function.
export function isInheritedKey(k: string): boolean {
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
