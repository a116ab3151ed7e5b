// System query options of OData v2 as Gateway validates them, and the render shape that
// $select / $expand describe.
import type { EntityTypeModel, NavModel, ServiceModel } from './edmx.ts';
import { SapError, badRequest } from './errors.ts';
import type { Shape } from './serializer.ts';

export interface OrderBy {
  prop: string;
  desc: boolean;
}

export interface QueryOptions {
  filter?: string;
  top?: number;
  skip?: number;
  skiptoken?: number;
  orderby: OrderBy[];
  select?: string;
  expand?: string;
  inlinecount: boolean;
  /** Non-$ parameters (sap-client, function import parameters...). */
  params: Map<string, string>;
  /** The raw query pairs, to rebuild __next links. */
  raw: [string, string][];
}

const decode = (s: string) => {
  try {
    // Form encoding turns spaces into '+'; clients building URLs with URLSearchParams rely on it.
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw badRequest(`Malformed URI component '${s}'`);
  }
};

export function splitQuery(search: string): [string, string][] {
  const q = search.startsWith('?') ? search.slice(1) : search;
  if (!q) return [];
  return q
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
    });
}

function nonNegativeInt(name: string, v: string): number {
  if (!/^\d+$/.test(v.trim()))
    throw badRequest(`Invalid value '${v}' for system query option ${name}`, '/IWBEP/CM_MGW_RT/004');
  return Number(v.trim());
}

const KNOWN = new Set([
  '$filter',
  '$top',
  '$skip',
  '$skiptoken',
  '$orderby',
  '$select',
  '$expand',
  '$inlinecount',
  '$format',
  '$search',
]);

export function parseQueryOptions(search: string): QueryOptions {
  const raw = splitQuery(search);
  const o: QueryOptions = { orderby: [], inlinecount: false, params: new Map(), raw };
  const seen = new Set<string>();
  for (const [k, v] of raw) {
    if (!k.startsWith('$')) {
      o.params.set(k, v);
      continue;
    }
    if (!KNOWN.has(k))
      throw badRequest(`System query option '${k}' is not supported`, '/IWBEP/CM_MGW_RT/004');
    if (seen.has(k))
      throw badRequest(`System query option '${k}' is specified more than once`, '/IWBEP/CM_MGW_RT/004');
    seen.add(k);
    switch (k) {
      case '$filter':
        o.filter = v;
        break;
      case '$top':
        o.top = nonNegativeInt(k, v);
        break;
      case '$skip':
        o.skip = nonNegativeInt(k, v);
        break;
      case '$skiptoken':
        o.skiptoken = nonNegativeInt(k, v);
        break;
      case '$select':
        o.select = v;
        break;
      case '$expand':
        o.expand = v;
        break;
      case '$inlinecount':
        if (v !== 'allpages' && v !== 'none') {
          throw badRequest(
            `Invalid value '${v}' for system query option $inlinecount`,
            '/IWBEP/CM_MGW_RT/004',
          );
        }
        o.inlinecount = v === 'allpages';
        break;
      case '$format':
        // JSON is the only output the sandbox renders (README); xml/atom are accepted and answered in JSON.
        if (
          !['json', 'application/json', 'xml', 'atom', 'application/atom+xml', 'application/xml'].includes(v)
        ) {
          throw badRequest(`Invalid value '${v}' for system query option $format`, '/IWBEP/CM_MGW_RT/004');
        }
        break;
      case '$orderby':
        o.orderby = v.split(',').map((part) => {
          const m = /^\s*([A-Za-z_][\w]*)(?:\s+(asc|desc))?\s*$/.exec(part);
          if (!m) throw badRequest(`Invalid $orderby expression '${part.trim()}'`, '/IWBEP/CM_MGW_RT/004');
          return { prop: m[1], desc: m[2] === 'desc' };
        });
        break;
    }
  }
  return o;
}

export function checkOrderBy(type: EntityTypeModel, orderby: OrderBy[]): void {
  for (const o of orderby) {
    const p = type.properties.get(o.prop);
    if (!p) throw badRequest(`Property '${o.prop}' not found in type '${type.name}'`);
    if (!p.sortable) throw badRequest(`Property '${o.prop}' is not sortable`);
  }
}

interface PathTree {
  selectAll: boolean;
  selected: Set<string>;
  expand: Map<string, PathTree>;
  selectChildren: Map<string, PathTree>;
}

const tree = (): PathTree => ({
  selectAll: false,
  selected: new Set(),
  expand: new Map(),
  selectChildren: new Map(),
});

function navOf(
  svc: ServiceModel,
  type: EntityTypeModel,
  name: string,
): { nav: NavModel; target: EntityTypeModel } {
  const nav = type.navs.get(name);
  if (!nav) throw badRequest(`Property '${name}' not found in type '${type.name}'`);
  const target = svc.entityTypes.get(nav.targetType);
  if (!target) throw new SapError(500, '/IWBEP/CM_MGW_RT/000', `Target of ${name} not in metadata`);
  return { nav, target };
}

/** Builds the render shape from $select and $expand, refusing unknown properties and navigations. */
export function buildShape(
  svc: ServiceModel,
  type: EntityTypeModel,
  select?: string,
  expand?: string,
): Shape {
  const root = tree();
  const hasSelect = select !== undefined && select.trim() !== '';
  for (const path of (expand ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    let node = root;
    for (const seg of path.split('/')) {
      let next = node.expand.get(seg);
      if (!next) node.expand.set(seg, (next = tree()));
      node = next;
    }
  }
  if (hasSelect) {
    for (const path of select!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const segs = path.split('/');
      let node = root;
      for (let i = 0; i < segs.length - 1; i++) {
        let next = node.selectChildren.get(segs[i]);
        if (!next) node.selectChildren.set(segs[i], (next = tree()));
        node = next;
      }
      const last = segs[segs.length - 1];
      if (last === '*') node.selectAll = true;
      else node.selected.add(last);
    }
  }
  return toShape(svc, type, root, hasSelect);
}

function toShape(svc: ServiceModel, type: EntityTypeModel, node: PathTree, hasSelect: boolean): Shape {
  const all = !hasSelect || node.selectAll;
  for (const name of node.selected) {
    if (!type.properties.has(name) && !type.navs.has(name)) {
      throw badRequest(`Property '${name}' not found in type '${type.name}'`);
    }
  }
  for (const name of [...node.selectChildren.keys(), ...node.expand.keys()]) navOf(svc, type, name);
  for (const name of node.selectChildren.keys()) {
    if (!node.expand.has(name)) throw badRequest(`Navigation '${name}' in $select is not expanded`);
  }
  const props = all ? type.propertyList : type.propertyList.filter((p) => node.selected.has(p.name));
  const navs: Shape['navs'] = [];
  for (const nav of type.navs.values()) {
    const exp = node.expand.get(nav.name);
    // Expanded navigations are always rendered, even when $select does not name them.
    if (!exp && !all && !node.selected.has(nav.name)) continue;
    if (!exp) {
      navs.push({ nav });
      continue;
    }
    const target = navOf(svc, type, nav.name).target;
    const childSel = node.selectChildren.get(nav.name);
    const merged: PathTree = childSel ? { ...childSel, expand: exp.expand } : exp;
    const childHasSelect = !!childSel && !node.selected.has(nav.name);
    navs.push({ nav, expand: toShape(svc, target, merged, childHasSelect) });
  }
  return { type, props, navs };
}
