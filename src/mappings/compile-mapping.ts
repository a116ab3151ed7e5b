// Applies a whole EntityMapping to raw source records. This runs once per synced record, so the
// mapping is flattened into arrays of compiled fields up front and `apply` only loops over them.
import {
  compileExpr,
  type CompileOptions,
  type Evaluator,
  type MappingContext,
  type Scope,
} from './compile-expr.ts';
import { MappingSyntaxError } from './errors.ts';
import type { EntityMapping, Expr } from './types.ts';
import { CUSTOM_PREFIX, isEachMapping, validateMapping } from './validate.ts';
import { toList } from './values.ts';

export interface MappingWarning {
  /** Field that fell back to null, e.g. `total_amount` or `lines[2].quantity`. */
  field: string;
  message: string;
}

export interface MappingResult {
  values: Record<string, unknown>;
  warnings: MappingWarning[];
}

export interface CompiledMapping {
  /** Never throws: a field whose expression fails is null and reported in `warnings`. */
  apply(raw: Record<string, unknown>, ctx: MappingContext): MappingResult;
  /** Output field names in mapping order (custom fields as `custom_fields.<name>`). */
  readonly fields: readonly string[];
}

interface FieldPlan {
  /** Name as written in the mapping, used in warnings. */
  name: string;
  /** Key in the output object (or in its custom_fields). */
  key: string;
  custom: boolean;
  ev: Evaluator;
}

interface EachPlan extends FieldPlan {
  children: FieldPlan[];
  childHasCustom: boolean;
}

type Plan = FieldPlan | EachPlan;

function isEachPlan(p: Plan): p is EachPlan {
  return 'children' in p;
}

function plan(name: string, ev: Evaluator): FieldPlan {
  const custom = name.startsWith(CUSTOM_PREFIX);
  return { name, key: custom ? name.slice(CUSTOM_PREFIX.length) : name, custom, ev };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Evaluates fields into `out`; failures become null plus a warning named `prefix + field`. */
function evalFields(
  fields: FieldPlan[],
  scope: Scope,
  out: Record<string, unknown>,
  custom: Record<string, unknown> | null,
  warnings: MappingWarning[],
  prefix: string,
): void {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let v: unknown;
    try {
      v = f.ev(scope);
      if (v === undefined) v = null;
    } catch (err) {
      v = null;
      warnings.push({ field: prefix + f.name, message: errorMessage(err) });
    }
    if (f.custom) custom![f.key] = v;
    else out[f.key] = v;
  }
}

/**
 * Compiles a mapping (throws MappingSyntaxError naming the first bad field; use validateMapping to
 * get all problems). `custom_fields.<name>` fields land in `values.custom_fields[name]`.
 */
export function compileMapping(mapping: EntityMapping, opts: CompileOptions = {}): CompiledMapping {
  const problems = validateMapping(mapping, opts);
  if (problems.length > 0) {
    const p = problems[0];
    throw new MappingSyntaxError(p.message, p.position ?? 0, p.field);
  }
  const plans: Plan[] = [];
  const order: string[] = [];
  let hasCustom = false;
  for (const [name, def] of Object.entries(mapping.fields)) {
    order.push(name);
    if (isEachMapping(def)) {
      const children = Object.entries(def.fields).map(([child, src]) =>
        plan(child, compileExpr(src as Expr, opts)),
      );
      plans.push({
        ...plan(name, compileExpr(def.each, opts)),
        children,
        childHasCustom: children.some((c) => c.custom),
      });
    } else {
      plans.push(plan(name, compileExpr(def, opts)));
    }
    if (name.startsWith(CUSTOM_PREFIX)) hasCustom = true;
  }

  function applyEach(e: EachPlan, scope: Scope, raw: unknown, warnings: MappingWarning[]): unknown[] {
    let source: unknown;
    try {
      source = e.ev(scope);
    } catch (err) {
      warnings.push({ field: e.name, message: errorMessage(err) });
      return [];
    }
    if (source === null || source === undefined) return [];
    const list = toList(source);
    if (list === null) {
      warnings.push({ field: e.name, message: `"each" did not give a list (got ${typeof source})` });
      return [];
    }
    const out: unknown[] = new Array(list.length);
    // One scope object reused for all elements: evaluation is synchronous and closures never keep it.
    const child: Scope = { $: null, $root: raw, ctx: scope.ctx };
    for (let i = 0; i < list.length; i++) {
      child.$ = list[i];
      const values: Record<string, unknown> = {};
      const custom = e.childHasCustom ? {} : null;
      evalFields(e.children, child, values, custom, warnings, `${e.name}[${i}].`);
      if (custom !== null) values.custom_fields = custom;
      out[i] = values;
    }
    return out;
  }

  return {
    fields: order,
    apply(raw: Record<string, unknown>, ctx: MappingContext): MappingResult {
      const scope: Scope = { $: raw, $root: raw, ctx };
      const values: Record<string, unknown> = {};
      const custom: Record<string, unknown> | null = hasCustom ? {} : null;
      const warnings: MappingWarning[] = [];
      // Output keys follow the mapping's order (custom_fields last).
      for (let i = 0; i < plans.length; i++) {
        const f = plans[i];
        let v: unknown;
        if (isEachPlan(f)) {
          v = applyEach(f, scope, raw, warnings);
        } else {
          try {
            v = f.ev(scope);
            if (v === undefined) v = null;
          } catch (err) {
            v = null;
            warnings.push({ field: f.name, message: errorMessage(err) });
          }
        }
        if (f.custom) custom![f.key] = v;
        else values[f.key] = v;
      }
      if (custom !== null) values.custom_fields = custom;
      return { values, warnings };
    },
  };
}
