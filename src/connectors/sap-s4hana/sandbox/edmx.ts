// Reads SAP's published $metadata (EDMX, OData v2) into a small model. Everything the sandbox
// validates or encodes comes from here, so the EDMX stays the single source of truth.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export type EdmType =
  | 'Edm.String'
  | 'Edm.Boolean'
  | 'Edm.Byte'
  | 'Edm.SByte'
  | 'Edm.Int16'
  | 'Edm.Int32'
  | 'Edm.Int64'
  | 'Edm.Decimal'
  | 'Edm.Double'
  | 'Edm.Single'
  | 'Edm.DateTime'
  | 'Edm.DateTimeOffset'
  | 'Edm.Time'
  | 'Edm.Guid'
  | 'Edm.Binary';

export interface PropertyModel {
  name: string;
  type: EdmType;
  nullable: boolean;
  maxLength?: number;
  precision?: number;
  scale: number;
  creatable: boolean;
  updatable: boolean;
  filterable: boolean;
  sortable: boolean;
}

export interface NavModel {
  name: string;
  relationship: string;
  toRole: string;
  /** Qualified name of the target entity type. */
  targetType: string;
  toMany: boolean;
  /** Entity set the association set points to, when the container declares one. */
  targetSet?: string;
}

export interface EntityTypeModel {
  name: string;
  qualifiedName: string;
  keys: string[];
  properties: Map<string, PropertyModel>;
  propertyList: PropertyModel[];
  navs: Map<string, NavModel>;
}

export interface ComplexTypeModel {
  name: string;
  qualifiedName: string;
  propertyList: PropertyModel[];
}

export interface EntitySetModel {
  name: string;
  entityType: EntityTypeModel;
  creatable: boolean;
  updatable: boolean;
  deletable: boolean;
  addressable: boolean;
}

export interface FunctionParamModel {
  name: string;
  type: EdmType;
  nullable: boolean;
}

export interface FunctionImportModel {
  name: string;
  returnType?: string;
  entitySet?: string;
  httpMethod: string;
  params: FunctionParamModel[];
}

export interface ServiceModel {
  name: string;
  namespace: string;
  xml: string;
  entityTypes: Map<string, EntityTypeModel>;
  complexTypes: Map<string, ComplexTypeModel>;
  entitySets: Map<string, EntitySetModel>;
  functionImports: Map<string, FunctionImportModel>;
}

interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCharCode(Number(d)))
    .replace(/&amp;/g, '&');
}

/** A tag-only scan: the EDMX carries everything we need in elements and attributes, never in text. */
export function parseXml(xml: string): XmlNode {
  const root: XmlNode = { tag: '#root', attrs: {}, children: [] };
  const stack: XmlNode[] = [root];
  const body = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(TAG)) {
    const [, closing, rawTag, rawAttrs, selfClosing] = m;
    const tag = rawTag;
    if (closing) {
      while (stack.length > 1) {
        const top = stack.pop()!;
        if (top.tag === tag) break;
      }
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of rawAttrs.matchAll(ATTR)) attrs[a[1]] = decodeXml(a[2] ?? a[3] ?? '');
    const node: XmlNode = { tag, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return root;
}

function* walk(node: XmlNode): Generator<XmlNode> {
  yield node;
  for (const c of node.children) yield* walk(c);
}

const local = (tag: string) => tag.slice(tag.indexOf(':') + 1);
const flag = (v: string | undefined) => v !== 'false';

function toProperty(n: XmlNode): PropertyModel {
  const a = n.attrs;
  return {
    name: a.Name,
    type: a.Type as EdmType,
    nullable: a.Nullable !== 'false',
    maxLength: a.MaxLength ? Number(a.MaxLength) : undefined,
    precision: a.Precision ? Number(a.Precision) : undefined,
    scale: a.Scale ? Number(a.Scale) : 0,
    creatable: flag(a['sap:creatable']),
    updatable: flag(a['sap:updatable']),
    filterable: flag(a['sap:filterable']),
    sortable: flag(a['sap:sortable']),
  };
}

export function parseEdmx(name: string, xml: string): ServiceModel {
  const root = parseXml(xml);
  const schemas = [...walk(root)].filter((n) => local(n.tag) === 'Schema');
  if (schemas.length === 0) throw new Error(`${name}: no Schema in EDMX`);
  const svc: ServiceModel = {
    name,
    namespace: schemas[0].attrs.Namespace,
    xml,
    entityTypes: new Map(),
    complexTypes: new Map(),
    entitySets: new Map(),
    functionImports: new Map(),
  };
  // Association ends tell the target type and multiplicity of each navigation property.
  const assocEnds = new Map<string, { type: string; multiplicity: string }>();
  const assocSetEnds = new Map<string, string>();
  const pendingNavs: NavModel[] = [];
  for (const schema of schemas) {
    const ns = schema.attrs.Namespace;
    for (const el of schema.children) {
      const tag = local(el.tag);
      if (tag === 'EntityType') {
        const t: EntityTypeModel = {
          name: el.attrs.Name,
          qualifiedName: `${ns}.${el.attrs.Name}`,
          keys: [],
          properties: new Map(),
          propertyList: [],
          navs: new Map(),
        };
        for (const c of el.children) {
          const ct = local(c.tag);
          if (ct === 'Key') t.keys.push(...c.children.map((k) => k.attrs.Name));
          else if (ct === 'Property') {
            const p = toProperty(c);
            t.properties.set(p.name, p);
            t.propertyList.push(p);
          } else if (ct === 'NavigationProperty') {
            const nav: NavModel = {
              name: c.attrs.Name,
              relationship: c.attrs.Relationship,
              toRole: c.attrs.ToRole,
              targetType: '',
              toMany: false,
            };
            t.navs.set(nav.name, nav);
            pendingNavs.push(nav);
          }
        }
        svc.entityTypes.set(t.qualifiedName, t);
      } else if (tag === 'ComplexType') {
        svc.complexTypes.set(`${ns}.${el.attrs.Name}`, {
          name: el.attrs.Name,
          qualifiedName: `${ns}.${el.attrs.Name}`,
          propertyList: el.children.filter((c) => local(c.tag) === 'Property').map(toProperty),
        });
      } else if (tag === 'Association') {
        for (const end of el.children.filter((c) => local(c.tag) === 'End')) {
          assocEnds.set(`${ns}.${el.attrs.Name}|${end.attrs.Role}`, {
            type: end.attrs.Type,
            multiplicity: end.attrs.Multiplicity,
          });
        }
      } else if (tag === 'EntityContainer') {
        for (const c of el.children) {
          const ct = local(c.tag);
          if (ct === 'EntitySet') {
            const type = svc.entityTypes.get(c.attrs.EntityType);
            if (!type) throw new Error(`${name}: entity set ${c.attrs.Name} has unknown type`);
            svc.entitySets.set(c.attrs.Name, {
              name: c.attrs.Name,
              entityType: type,
              creatable: flag(c.attrs['sap:creatable']),
              updatable: flag(c.attrs['sap:updatable']),
              deletable: flag(c.attrs['sap:deletable']),
              addressable: flag(c.attrs['sap:addressable']),
            });
          } else if (ct === 'AssociationSet') {
            for (const end of c.children) {
              assocSetEnds.set(`${c.attrs.Association}|${end.attrs.Role}`, end.attrs.EntitySet);
            }
          } else if (ct === 'FunctionImport') {
            svc.functionImports.set(c.attrs.Name, {
              name: c.attrs.Name,
              returnType: c.attrs.ReturnType,
              entitySet: c.attrs.EntitySet,
              httpMethod: c.attrs['m:HttpMethod'] ?? 'GET',
              params: c.children
                .filter((p) => local(p.tag) === 'Parameter')
                // SAP marks optional parameters Nullable="true"; parameters without it are mandatory.
                .map((p) => ({
                  name: p.attrs.Name,
                  type: p.attrs.Type as EdmType,
                  nullable: p.attrs.Nullable === 'true',
                })),
            });
          }
        }
      }
    }
  }
  for (const nav of pendingNavs) {
    const end = assocEnds.get(`${nav.relationship}|${nav.toRole}`);
    if (!end) throw new Error(`${name}: navigation ${nav.name} has no association end`);
    nav.targetType = end.type;
    nav.toMany = end.multiplicity === '*';
    nav.targetSet = assocSetEnds.get(`${nav.relationship}|${nav.toRole}`);
  }
  return svc;
}

export const SERVICE_NAMES = [
  'API_PURCHASEORDER_PROCESS_SRV',
  'API_MAINTENANCEORDER',
  'API_EQUIPMENT',
  'API_PRODUCT_SRV',
  'API_MATERIAL_STOCK_SRV',
  'API_BUSINESS_PARTNER',
  'API_PLANT_SRV',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const METADATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'metadata');

let cached: Map<string, ServiceModel> | undefined;

/** Parsed once per process: the files never change and parsing 1.4 MB of XML is not free. */
export function loadServices(): Map<string, ServiceModel> {
  if (cached) return cached;
  cached = new Map();
  for (const name of SERVICE_NAMES) {
    const xml = readFileSync(join(METADATA_DIR, `${name}.edmx`), 'utf8');
    cached.set(name, parseEdmx(name, xml));
  }
  return cached;
}
