// Which top-level source fields a mapping reads: what a sync must fetch when a connection asks for
// mapped fields only (settings.remote_fields). A whole-record reference (`$` passed to a function
// that does not declare what it reads, `$root` alone) means every field.
import { parseExpr, type Node } from './parser.ts';
import type { EntityMapping } from './types.ts';
import { isEachMapping } from './validate.ts';

export interface SourceFields {
  /** Top-level source properties read (sorted). */
  fields: string[];
  /** True when some expression reads the whole record: only a full read serves it. */
  whole: boolean;
}

/** For functions given the whole record (`sap_po_status($)`): the record fields each one reads. */
export type FunctionReads = Record<string, readonly string[]>;

export function sourceFields(mapping: EntityMapping, reads: FunctionReads = {}): SourceFields {
  const fields = new Set<string>();
  let whole = false;
  // `inEach`: plain paths are relative to the element; only `$root.X` reaches the record.
  const visit = (n: Node, inEach: boolean): void => {
    switch (n.type) {
      case 'path': {
        if (n.root === 'record' && inEach) return;
        const head = n.steps[0];
        if (typeof head === 'string') fields.add(head);
        else whole = true;
        return;
      }
      case 'call': {
        const declared = reads[n.name];
        for (const a of n.args) {
          const wholeRecord =
            a.type === 'path' && a.steps.length === 0 && (a.root === 'root' || !inEach) && declared;
          if (wholeRecord) for (const f of declared) fields.add(f);
          else visit(a, inEach);
        }
        return;
      }
      case 'member':
        visit(n.target, inEach);
        return;
      case 'object':
        for (const e of n.entries) visit(e.value, inEach);
        return;
      case 'array':
        for (const item of n.items) visit(item, inEach);
        return;
      case 'not':
        visit(n.arg, inEach);
        return;
      case 'logical':
      case 'compare':
        visit(n.left, inEach);
        visit(n.right, inEach);
        return;
      case 'literal':
        return;
    }
  };
  const expr = (src: string, inEach: boolean) => {
    try {
      visit(parseExpr(src), inEach);
    } catch {
      // A mapping that does not parse reads nothing; validation reports it elsewhere.
    }
  };
  for (const def of Object.values(mapping.fields)) {
    if (typeof def === 'string') expr(def, false);
    else if (isEachMapping(def)) {
      expr(def.each, false);
      for (const sub of Object.values(def.fields)) if (typeof sub === 'string') expr(sub, true);
    }
  }
  return { fields: [...fields].sort(), whole };
}
