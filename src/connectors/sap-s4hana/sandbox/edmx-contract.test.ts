// Contract test: for every entity set the sandbox serves, every property it returns exists in
// SAP's EDMX and is encoded the way OData v2 JSON encodes its type. The EDMX is parsed here
// independently of the sandbox's own parser.
import { createHash } from 'node:crypto';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, svc, get } from './test-support.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
// SHA-256 of the published reference metadata (the project's reference/sap/*.edmx): the bundled
// copies must be those files, byte for byte, wherever the tests run.
const REFERENCE_SHA256: Record<string, string> = {
  API_BUSINESS_PARTNER: '08ff3fff508b60163c03afbca6367a3544742465edc3e143a6386145c4a2c71b',
  API_EQUIPMENT: 'dccfe29d24ad35926a567dbd618148cf351e0399e4739ebefaab5133a884e2f9',
  API_MAINTENANCEORDER: '614474b6a6fdb51ecc558b5984e07e21bbf5769329f827192107ff99a94411ce',
  API_MATERIAL_STOCK_SRV: 'a1b0fc15c93874588046dbccafdcc3d225b5b4e6464ab78fc8db5f1baf9db40a',
  API_PLANT_SRV: '739ead094935ff9e2d23ffffb5c3f371e83e60ed740f9cc51ec3f24c6513d047',
  API_PRODUCT_SRV: '40a1f38994311529c4f21e439ee91a6fdc91fdb9c326ca81a7c21c2645fb2d69',
  API_PURCHASEORDER_PROCESS_SRV: '484b1b442bf0f094a1965c1aeda15e3be5107ca391ce1144f277242972e1df57',
};

interface Prop {
  type: string;
  nullable: boolean;
  maxLength?: number;
  precision?: number;
  scale?: number;
}
interface EType {
  name: string;
  keys: string[];
  props: Map<string, Prop>;
  navs: Map<string, string>; // nav → qualified target type
}

const attrs = (tag: string) =>
  Object.fromEntries([...tag.matchAll(/([\w:]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

function parse(xml: string): { ns: string; types: Map<string, EType>; sets: Map<string, string> } {
  const ns = attrs(/<Schema\b[^>]*>/.exec(xml)![0]).Namespace;
  const ends = new Map<string, string>();
  for (const a of xml.matchAll(/<Association\b([^>]*)>([\s\S]*?)<\/Association>/g)) {
    const name = attrs(a[1]).Name;
    for (const e of a[2].matchAll(/<End\b[^>]*>/g)) {
      const at = attrs(e[0]);
      ends.set(`${ns}.${name}|${at.Role}`, at.Type);
    }
  }
  const types = new Map<string, EType>();
  for (const m of xml.matchAll(/<EntityType\b([^>]*)>([\s\S]*?)<\/EntityType>/g)) {
    const t: EType = { name: attrs(m[1]).Name, keys: [], props: new Map(), navs: new Map() };
    for (const k of m[2].matchAll(/<PropertyRef\b[^>]*>/g)) t.keys.push(attrs(k[0]).Name);
    for (const p of m[2].matchAll(/<Property\b[^>]*>/g)) {
      const a = attrs(p[0]);
      t.props.set(a.Name, {
        type: a.Type,
        nullable: a.Nullable !== 'false',
        maxLength: a.MaxLength ? Number(a.MaxLength) : undefined,
        precision: a.Precision ? Number(a.Precision) : undefined,
        scale: a.Scale ? Number(a.Scale) : undefined,
      });
    }
    for (const n of m[2].matchAll(/<NavigationProperty\b[^>]*>/g)) {
      const a = attrs(n[0]);
      t.navs.set(a.Name, ends.get(`${a.Relationship}|${a.ToRole}`)!);
    }
    types.set(`${ns}.${t.name}`, t);
  }
  const sets = new Map<string, string>();
  for (const s of xml.matchAll(/<EntitySet\b[^>]*>/g)) {
    const a = attrs(s[0]);
    sets.set(a.Name, a.EntityType);
  }
  return { ns, types, sets };
}

function checkValue(where: string, p: Prop, v: unknown): void {
  if (v === null) {
    assert.ok(p.nullable, `${where}: null in a non-nullable property`);
    return;
  }
  switch (p.type) {
    case 'Edm.String':
      assert.equal(typeof v, 'string', where);
      if (p.maxLength) assert.ok((v as string).length <= p.maxLength, `${where}: longer than ${p.maxLength}`);
      break;
    case 'Edm.Boolean':
      assert.equal(typeof v, 'boolean', where);
      break;
    case 'Edm.Byte':
      assert.ok(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255, where);
      break;
    case 'Edm.SByte':
    case 'Edm.Int16':
    case 'Edm.Int32':
      assert.ok(Number.isInteger(v), `${where}: ${v} is not an integer number`);
      break;
    case 'Edm.Int64':
      assert.match(v as string, /^-?\d+$/, where);
      break;
    case 'Edm.Decimal': {
      assert.equal(typeof v, 'string', `${where}: decimals are strings`);
      const scale = p.scale ?? 0;
      const re = scale > 0 ? new RegExp(`^-?\\d+\\.\\d{${scale}}$`) : /^-?\d+$/;
      assert.match(v as string, re, where);
      const intDigits = (v as string).replace('-', '').split('.')[0].length;
      if (p.precision) assert.ok(intDigits <= Math.max(1, p.precision - scale), `${where}: too many digits`);
      break;
    }
    case 'Edm.Double':
    case 'Edm.Single':
      assert.equal(typeof v, 'string', where);
      assert.ok(Number.isFinite(Number(v)), where);
      break;
    case 'Edm.DateTime':
      assert.match(v as string, /^\/Date\(-?\d+\)\/$/, where);
      break;
    case 'Edm.DateTimeOffset':
      assert.match(v as string, /^\/Date\(-?\d+\+0000\)\/$/, where);
      break;
    case 'Edm.Time':
      assert.match(v as string, /^PT\d{2}H\d{2}M\d{2}S$/, where);
      break;
    case 'Edm.Guid':
      assert.match(v as string, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, where);
      break;
    default:
      assert.fail(`${where}: unexpected EDM type ${p.type}`);
  }
}

type Model = ReturnType<typeof parse>;
let checked = 0;

function checkEntity(
  model: Model,
  service: string,
  set: string | undefined,
  typeName: string,
  e: any,
  path: string,
): void {
  const t = model.types.get(typeName)!;
  assert.ok(t, `${path}: type ${typeName} in EDMX`);
  assert.equal(e.__metadata.type, typeName, `${path}: __metadata.type`);
  assert.equal(e.__metadata.id, e.__metadata.uri);
  if (set)
    assert.ok(
      e.__metadata.uri.includes(`/sap/opu/odata/sap/${service}/${set}(`),
      `${path}: uri ${e.__metadata.uri}`,
    );
  if (e.__metadata.etag !== undefined) assert.match(e.__metadata.etag, /^W\/".+"$/);
  for (const [k, v] of Object.entries(e)) {
    if (k === '__metadata') continue;
    const where = `${path}.${k}`;
    if (t.navs.has(k)) {
      const nav = v as any;
      if (nav?.__deferred) assert.ok(nav.__deferred.uri.endsWith(`/${k}`), `${where}: deferred uri`);
      else if (nav?.results)
        for (const [n, c] of nav.results.entries())
          checkEntity(model, service, undefined, t.navs.get(k)!, c, `${where}[${n}]`);
      else if (nav !== null) checkEntity(model, service, undefined, t.navs.get(k)!, nav, where);
      continue;
    }
    const p = t.props.get(k);
    assert.ok(p, `${where}: property does not exist in ${typeName}`);
    checkValue(where, p, v);
    checked++;
  }
  // Gateway renders every property of the type when there is no $select.
  for (const name of t.props.keys()) assert.ok(name in e, `${path}: property ${name} missing`);
  for (const k of t.keys) assert.notEqual(e[k], null, `${path}: key ${k} is null`);
}

const SERVED: [string, string, string?][] = [
  ['API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrder', 'to_PurchaseOrderItem'],
  ['API_PURCHASEORDER_PROCESS_SRV', 'A_PurchaseOrderItem'],
  ['API_MAINTENANCEORDER', 'MaintenanceOrder', 'to_MaintenanceOrderOperation/to_MaintOrderOpComponent_2'],
  ['API_MAINTENANCEORDER', 'MaintenanceOrderOperation'],
  ['API_MAINTENANCEORDER', 'MaintOrderOpComponent', 'to_MaintenanceOrder'],
  ['API_EQUIPMENT', 'Equipment'],
  ['API_PRODUCT_SRV', 'A_Product', 'to_Description,to_Plant/to_StorageLocation'],
  ['API_PRODUCT_SRV', 'A_ProductDescription'],
  ['API_PRODUCT_SRV', 'A_ProductPlant'],
  ['API_PRODUCT_SRV', 'A_ProductStorageLocation'],
  ['API_MATERIAL_STOCK_SRV', 'A_MaterialStock', 'to_MatlStkInAcctMod'],
  ['API_MATERIAL_STOCK_SRV', 'A_MatlStkInAcctMod'],
  ['API_BUSINESS_PARTNER', 'A_Supplier'],
  ['API_PLANT_SRV', 'A_Plant'],
];

const sb = await start();
after(() => sb.close());
const models = new Map<string, Model>();
const xmlOf = (service: string) => readFileSync(join(here, 'metadata', `${service}.edmx`), 'utf8');
for (const [service] of SERVED) if (!models.has(service)) models.set(service, parse(xmlOf(service)));

test('the bundled EDMX files are the reference metadata, byte for byte', () => {
  for (const [service, digest] of Object.entries(REFERENCE_SHA256)) {
    const bytes = readFileSync(join(here, 'metadata', `${service}.edmx`));
    assert.equal(createHash('sha256').update(bytes).digest('hex'), digest, service);
  }
});

test('$metadata answers the EDMX verbatim as application/xml', async () => {
  for (const service of models.keys()) {
    const r = await get(`${svc(sb, service)}/$metadata`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/xml/);
    assert.equal(r.text, xmlOf(service), service);
  }
});

for (const [service, set, expand] of SERVED) {
  test(`${service}/${set}: every property exists in the EDMX and is encoded per its type`, async () => {
    const model = models.get(service)!;
    const typeName = model.sets.get(set)!;
    const q = `$top=200&$inlinecount=allpages${expand ? `&$expand=${expand}` : ''}`;
    const r = await get(`${svc(sb, service)}/${set}?${q}`);
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const results = r.body.d.results;
    assert.ok(results.length > 0, `${set} has records`);
    assert.match(r.body.d.__count, /^\d+$/);
    for (const [n, e] of results.entries()) checkEntity(model, service, set, typeName, e, `${set}[${n}]`);
    // The single-entity read of the first record has the same contract.
    const one = await get(results[0].__metadata.uri);
    assert.equal(one.status, 200);
    checkEntity(model, service, set, typeName, one.body.d, `${set}(first)`);
  });
}

test('the contract covered a substantial number of values', () => {
  assert.ok(checked > 10_000, `${checked} values checked`);
});
