// Mappings are data: unified field ← expression over the raw source record.
// Grammar and function library: src/mappings/README.md.

/** An expression in the mapping language, e.g. `map(OrderType, {"PM01": "CORRECTIVE"}, "OTHER")`. */
export type Expr = string;

/** A unified array field built from an array in the source record (e.g. PO lines from items). */
export interface EachMapping {
  each: Expr;
  fields: Record<string, Expr>;
}

export interface EntityMapping {
  /** Unified field name (snake_case; `custom_fields.<name>` for custom fields) → expression or array mapping. */
  fields: Record<string, Expr | EachMapping>;
}
