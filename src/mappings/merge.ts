// A connection overrides single fields of the connector's default mapping and adds custom fields.
import { CUSTOM_PREFIX, isEachMapping } from './validate.ts';
import type { EachMapping, EntityMapping, Expr } from './types.ts';

export type MappingOverride = Expr | EachMapping | null;

// Removing a unified field would change the record's shape; a null override blanks it instead.
const BLANK: Expr = 'null';

function applyOverride(
  fields: Record<string, Expr | EachMapping>,
  name: string,
  value: MappingOverride | undefined,
): void {
  if (value === undefined) return;
  if (value === null) {
    if (name.startsWith(CUSTOM_PREFIX)) delete fields[name];
    else fields[name] = BLANK;
    return;
  }
  fields[name] = isEachMapping(value) ? { each: value.each, fields: { ...value.fields } } : value;
}

/**
 * Defaults with overrides applied; neither input is modified.
 * - `field: expr` replaces (or adds) a field; `custom_fields.<name>: expr` adds a custom field.
 * - `field: null` removes a custom field and makes a unified field always null.
 * - `lines.quantity: expr` overrides one field inside the array mapping `lines` (null as above).
 */
export function mergeMappings(
  defaults: EntityMapping,
  overrides: Record<string, MappingOverride>,
): EntityMapping {
  const fields: Record<string, Expr | EachMapping> = { ...defaults.fields };
  // Whole fields first, so `lines` and `lines.quantity` in one override combine in any key order.
  const children: [string, string, MappingOverride][] = [];
  const copied = new Set<string>();
  for (const [name, value] of Object.entries(overrides)) {
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith(CUSTOM_PREFIX)) {
      const parent = name.slice(0, dot);
      if (isEachMapping(fields[parent]) || isEachMapping(overrides[parent])) {
        children.push([parent, name.slice(dot + 1), value]);
        continue;
      }
    }
    applyOverride(fields, name, value);
    if (value !== null && value !== undefined && isEachMapping(value)) copied.add(name);
  }
  for (const [parent, child, value] of children) {
    const current = fields[parent];
    if (value === undefined || !isEachMapping(current)) continue;
    const each = copied.has(parent) ? current : { each: current.each, fields: { ...current.fields } };
    fields[parent] = each;
    copied.add(parent);
    if (value === null) {
      if (child.startsWith(CUSTOM_PREFIX)) delete each.fields[child];
      else each.fields[child] = BLANK;
    } else {
      // A non-text value here is invalid; it is kept so validateMapping reports it against the field.
      each.fields[child] = value as Expr;
    }
  }
  return { fields };
}
