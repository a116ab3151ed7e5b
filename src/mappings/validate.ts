// Checks a mapping without throwing: the API turns the problems into a 400 that names the field and
// the character position, and compileMapping refuses a mapping that has any.
import { compileExpr, type CompileOptions } from './compile-expr.ts';
import { MappingSyntaxError } from './errors.ts';
import type { EachMapping, Expr } from './types.ts';

export const CUSTOM_PREFIX = 'custom_fields.';

export interface MappingProblem {
  /** Mapped field (`lines.quantity` for a field inside an `each`); '' for the mapping as a whole. */
  field: string;
  /** 0-based offset into the field's expression, for syntax errors. */
  position?: number;
  message: string;
}

export function isEachMapping(v: unknown): v is EachMapping {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'each' in v;
}

function checkExpr(field: string, src: unknown, opts: CompileOptions, out: MappingProblem[]): void {
  if (typeof src !== 'string') {
    out.push({ field, message: 'Expression must be text' });
    return;
  }
  try {
    compileExpr(src, opts);
  } catch (err) {
    if (err instanceof MappingSyntaxError)
      out.push({ field, position: err.position, message: err.bareMessage() });
    else out.push({ field, message: err instanceof Error ? err.message : String(err) });
  }
}

function checkName(field: string, out: MappingProblem[]): boolean {
  if (field === '') {
    out.push({ field, message: 'Field name must not be empty' });
    return false;
  }
  if (field === 'custom_fields') {
    out.push({ field, message: 'custom_fields is reserved; map custom fields as "custom_fields.<name>"' });
    return false;
  }
  // Assigning "__proto__" would replace the output object's prototype instead of adding a field.
  if (field === '__proto__' || field === CUSTOM_PREFIX + '__proto__') {
    out.push({ field, message: 'Field name "__proto__" is not allowed' });
    return false;
  }
  if (field.startsWith(CUSTOM_PREFIX) && field.length === CUSTOM_PREFIX.length) {
    out.push({ field, message: 'Custom field name must not be empty' });
    return false;
  }
  return true;
}

function checkFields(
  fields: unknown,
  prefix: string,
  allowEach: boolean,
  opts: CompileOptions,
  out: MappingProblem[],
): void {
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    out.push({ field: prefix.slice(0, -1), message: '"fields" must be an object of field → expression' });
    return;
  }
  for (const [name, def] of Object.entries(fields as Record<string, unknown>)) {
    const field = prefix + name;
    if (!checkName(name, out)) continue;
    if (isEachMapping(def)) {
      if (!allowEach) {
        out.push({ field, message: 'Array mappings cannot be nested inside "each"' });
        continue;
      }
      checkExpr(field, (def as { each: unknown }).each, opts, out);
      checkFields((def as { fields?: unknown }).fields, field + '.', false, opts, out);
    } else if (def !== null && typeof def === 'object') {
      out.push({
        field,
        message: 'Must be an expression (text) or an array mapping {"each": ..., "fields": {...}}',
      });
    } else {
      checkExpr(field, def as Expr, opts, out);
    }
  }
}

/** All problems of a mapping (syntax errors with positions, unknown functions, bad shapes); [] when valid. */
export function validateMapping(mapping: unknown, opts: CompileOptions = {}): MappingProblem[] {
  const out: MappingProblem[] = [];
  if (mapping === null || typeof mapping !== 'object') {
    return [{ field: '', message: 'Mapping must be an object with "fields"' }];
  }
  checkFields((mapping as { fields?: unknown }).fields, '', true, opts, out);
  return out;
}
