// Resource paths below a service root: the service document, $metadata, function imports,
// entity sets, entities by key predicate, one navigation step and $count.
import type { EntityTypeModel, ServiceModel } from './edmx.ts';
import { literalFits, parseLiteral } from './edm-values.ts';
import { badRequest, notFound } from './errors.ts';
import type { Rec } from './store.ts';

export type Resource =
  | { kind: 'root' }
  | { kind: 'metadata' }
  | { kind: 'batch' }
  | { kind: 'function'; name: string }
  | { kind: 'set'; set: string; key?: Rec; nav?: string; count: boolean };

/** Splits on commas that are not inside quoted literals. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of s) {
    if (ch === "'") quoted = !quoted;
    if (ch === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function parseKey(type: EntityTypeModel, text: string): Rec {
  const invalid = () =>
    badRequest(`Invalid key predicate '(${text})' for type '${type.name}'`, '/IWBEP/CM_MGW_RT/020');
  const parts = splitTopLevel(text).map((p) => p.trim());
  const key: Rec = {};
  const assign = (name: string, literal: string) => {
    const p = type.properties.get(name);
    const lit = parseLiteral(literal);
    if (!p || !type.keys.includes(name) || !lit || lit.kind === 'null' || !literalFits(p.type, lit.kind))
      throw invalid();
    key[name] = lit.value;
  };
  if (parts.length === 1 && type.keys.length === 1 && !/^[A-Za-z_]\w*\s*=/.test(parts[0])) {
    assign(type.keys[0], parts[0]);
  } else {
    for (const part of parts) {
      const eq = part.indexOf('=');
      if (eq < 0) throw invalid();
      const name = part.slice(0, eq).trim();
      if (name in key) throw invalid();
      assign(name, part.slice(eq + 1).trim());
    }
  }
  for (const k of type.keys) if (!(k in key)) throw invalid();
  return key;
}

export function parseResource(svc: ServiceModel, rawPath: string): Resource {
  const segs = rawPath.split('/').filter((s, i, all) => s !== '' || i < all.length - 1);
  if (segs.length === 0 || (segs.length === 1 && segs[0] === '')) return { kind: 'root' };
  const decoded = segs.map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw badRequest(`Malformed URI segment '${s}'`);
    }
  });
  const first = decoded[0];
  if (first === '$metadata' && decoded.length === 1) return { kind: 'metadata' };
  if (first === '$batch' && decoded.length === 1) return { kind: 'batch' };
  const m = /^([A-Za-z_][\w]*)(?:\((.*)\))?$/s.exec(first);
  if (!m) throw notFound(first);
  const name = m[1];
  if (svc.functionImports.has(name) && decoded.length === 1 && m[2] === undefined)
    return { kind: 'function', name };
  const set = svc.entitySets.get(name);
  if (!set) throw notFound(name);
  const res: Resource = { kind: 'set', set: name, count: false };
  if (m[2] !== undefined) res.key = parseKey(set.entityType, m[2]);
  let k = 1;
  if (k < decoded.length && decoded[k] !== '$count') {
    if (!res.key) throw badRequest(`Navigation '${decoded[k]}' needs a key predicate on '${name}'`);
    if (!set.entityType.navs.has(decoded[k])) throw notFound(decoded[k]);
    res.nav = decoded[k];
    k++;
  }
  if (k < decoded.length && decoded[k] === '$count') {
    res.count = true;
    k++;
  }
  if (k < decoded.length)
    throw badRequest(`Resource path segment '${decoded[k]}' is not supported by the sandbox`);
  return res;
}
