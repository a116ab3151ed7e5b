// The serializer's fast paths (compiled layouts, plain-text checks, table-driven numbers, dates
// and ETags, plain keys, pooled page buffers) against a direct rendering of the same records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EntitySetModel, EntityTypeModel, NavModel, PropertyModel } from './edmx.ts';
import { defaultJson, encodeJson, uriLiteral, type Value } from './edm-values.ts';
import { JsonWriter, etagMember, writeEntity, type RenderContext, type Shape } from './serializer.ts';
import { SetStore, etagOf, type Rec } from './store.ts';
import { buildWorld } from './world.ts';
import { pad } from './data/context.ts';
import { Rng } from './random.ts';
import { testProperty } from './test-support.ts';

// ---- a direct rendering: every value through the general encoders, no caches -------------------

const jsonString = (s: string) => (/["\\\u0000-\u001f\u2028\u2029]/.test(s) ? JSON.stringify(s) : `"${s}"`);

function referenceEntity(origin: string, store: SetStore, r: Rec, shape: Shape): string {
  const t = store.type;
  const lit = (k: string) => uriLiteral(t.properties.get(k)!.type, r[k] ?? '');
  const pred =
    t.keys.length === 1 ? `(${lit(t.keys[0])})` : `(${t.keys.map((k) => `${k}=${lit(k)}`).join(',')})`;
  const uri = jsonString(`${origin}/sap/opu/odata/sap/${store.service}/${store.name}${pred}`);
  const etag = etagOf(store, r);
  let out = `{"__metadata":{"id":${uri},"uri":${uri},"type":"${t.qualifiedName}"`;
  if (etag) out += `,"etag":${JSON.stringify(etag)}`;
  out += '}';
  for (const p of shape.props) {
    const v = r[p.name];
    // Strings as the sandbox always wrote them: escaped only when JSON requires it.
    const json =
      v === undefined
        ? defaultJson(p)
        : p.type === 'Edm.String' && v !== null
          ? jsonString(String(v))
          : encodeJson(p, v);
    out += `,${JSON.stringify(p.name)}:${json}`;
  }
  for (const n of shape.navs)
    out += `,"${n.nav.name}":{"__deferred":{"uri":${uri.slice(0, -1)}/${n.nav.name}"}}`;
  return `${out}}`;
}

const noNav: RenderContext['resolveNav'] = () => ({ indices: [] });
/** The bytes writeEntity produces, as text (lone surrogates have become U+FFFD on the way). */
function rendered(origin: string, store: SetStore, i: number, r: Rec, shape: Shape): string {
  const w = new JsonWriter();
  writeEntity(w, { origin, resolveNav: noNav }, store, i, r, shape);
  return w.toBuffer().toString('utf8');
}
/** The reference text as the bytes of a reply would carry it. */
const onWire = (s: string) => Buffer.from(s).toString('utf8');

// ---- a synthetic entity type with every EDM type -----------------------------------------------

const prop = testProperty;

function entityType(
  name: string,
  keys: string[],
  props: PropertyModel[],
  navs: string[] = [],
): EntityTypeModel {
  const navModels = navs.map((n): NavModel => ({
    name: n,
    relationship: 'R',
    toRole: 'T',
    targetType: 'X',
    toMany: true,
  }));
  return {
    name,
    qualifiedName: `test_srv.${name}Type`,
    keys,
    properties: new Map(props.map((p) => [p.name, p])),
    propertyList: props,
    navs: new Map(navModels.map((n) => [n.name, n])),
  };
}

const VALUES: Record<string, Value[]> = {
  'Edm.String': [
    'plain',
    'Müller & Söhne',
    'Straße',
    'a"b',
    'back\\slash',
    'line\nbreak',
    'tab\there',
    '\u2028\u2029',
    '',
    '😀 emoji',
    'lone \ud800 surrogate',
    42,
    true,
  ],
  'Edm.Decimal': [
    0,
    -0,
    5,
    -5,
    12.5,
    0.1 + 0.2,
    1e20,
    2 ** 60,
    9007199254740991,
    123456789.123456,
    NaN,
    '7',
    1e21,
  ],
  'Edm.DateTime': [
    1686182400000,
    0,
    -86400000,
    999999,
    1000000,
    1e15 - 1,
    1e15,
    1.5,
    NaN,
    '1686182400000',
    8.64e15,
  ],
  'Edm.Time': [0, 45296000, 86399999, 86400000, -1000, 1500.5, NaN, '3600000'],
  'Edm.Int32': [7, -7.9, '12', NaN, 0, -0],
  'Edm.Int64': [7, -7.9, '12', NaN, 1e18],
  'Edm.Boolean': [true, false, 0, 1, 'x', ''],
  'Edm.Guid': ['00000000-0000-0000-0000-00000000000a'],
  'Edm.Double': [1.5, -2e-7],
};
VALUES['Edm.DateTimeOffset'] = VALUES['Edm.DateTime'];

const PROPS: PropertyModel[] = [
  prop('Str', 'Edm.String'),
  prop('Dec3', 'Edm.Decimal', { scale: 3 }),
  prop('Dec0', 'Edm.Decimal', { scale: 0 }),
  prop('DecOdd', 'Edm.Decimal', { scale: 2.5 }),
  prop('Dt', 'Edm.DateTime'),
  prop('Dto', 'Edm.DateTimeOffset'),
  prop('Tm', 'Edm.Time'),
  prop('I32', 'Edm.Int32'),
  prop('I64', 'Edm.Int64'),
  prop('Flag', 'Edm.Boolean'),
  prop('Id', 'Edm.Guid'),
  prop('Dbl', 'Edm.Double'),
  prop('Str2', 'Edm.String'),
];

function setModel(type: EntityTypeModel, writable: boolean): EntitySetModel {
  return {
    name: type.name,
    entityType: type,
    creatable: writable,
    updatable: writable,
    deletable: writable,
    addressable: true,
  };
}

/** A store over fixed records. */
function storeOf(type: EntityTypeModel, recs: Rec[], writable = false): SetStore {
  const hasLcdt = type.properties.has('LastChangeDateTime');
  return new SetStore(
    'TEST_SRV',
    setModel(type, writable),
    {
      baseCount: recs.length,
      gen: (i) => ({ ...recs[i] }),
      findBase: () => -1,
      baseLcdt: hasLcdt ? (i) => Number(recs[i].LastChangeDateTime ?? 0) : undefined,
    },
    () => {},
  );
}

/** Records of random combinations of the sample values (and of missing values and nulls). */
function sampleRecords(props: PropertyModel[], n: number, seed: number): Rec[] {
  const r = new Rng(seed, 1, 0);
  return Array.from({ length: n }, () => {
    const rec: Rec = {};
    for (const p of props) {
      const u = r.next();
      if (u < 0.25) continue;
      if (u < 0.3) rec[p.name] = null;
      else rec[p.name] = r.pick(VALUES[p.type]);
    }
    return rec;
  });
}

test('every value form renders as the general encoders do, in any combination of filled properties', () => {
  const type = entityType('Sample', ['Key'], [prop('Key', 'Edm.String'), ...PROPS], ['to_Items', 'to_Other']);
  const keys = ['4000001', "O'Brien", 'a b', 'Müller', 'x/y', '(ok)', "*~!._-'", ''];
  const recs = sampleRecords(PROPS, 3000, 7).map((rec, i) => ({ ...rec, Key: keys[i % keys.length] }));
  const store = storeOf(type, recs, true);
  const full: Shape = {
    type,
    props: type.propertyList,
    navs: [...type.navs.values()].map((nav) => ({ nav })),
  };
  const narrow: Shape = { type, props: [type.properties.get('Dto')!, type.properties.get('Str')!], navs: [] };
  for (const origin of ['http://127.0.0.1:4101', 'http://we"ird\\host']) {
    for (let i = 0; i < recs.length; i++) {
      const r = store.get(i)!;
      for (const shape of [full, narrow]) {
        const got = rendered(origin, store, i, r, shape);
        assert.equal(
          got,
          onWire(referenceEntity(origin, store, r, shape)),
          `record ${i}: ${JSON.stringify(r)}`,
        );
      }
    }
  }
});

test('keys: compound, non-string and needing percent-encoding; version ETags', () => {
  const type = entityType(
    'Compound',
    ['A', 'B', 'C'],
    [prop('A', 'Edm.String'), prop('B', 'Edm.String'), prop('C', 'Edm.String'), prop('V', 'Edm.String')],
  );
  const values = ['4000001', '', "it's", 'ä', 'a/b', '0010', '%', '(x)'];
  const recs: Rec[] = [];
  for (const a of values)
    for (const b of values) recs.push({ A: a, B: b, C: values[(a.length + b.length) % 8], V: 'v' });
  recs.push({ A: 'missing B and C' }, { A: null, B: 5, C: true });
  const versions = [undefined, 0, 1, 2, 63, 64, 1000, 2.5, 'x', -1];
  recs.forEach((r, i) => (r.$v = versions[i % versions.length]));
  const store = storeOf(type, recs, true);
  const shape: Shape = { type, props: type.propertyList, navs: [] };
  for (let i = 0; i < recs.length; i++) {
    const r = store.get(i)!;
    assert.equal(rendered('http://h', store, i, r, shape), referenceEntity('http://h', store, r, shape));
  }

  const dated = entityType(
    'Dated',
    ['Equipment', 'ValidTo', 'Id'],
    [prop('Equipment', 'Edm.String'), prop('ValidTo', 'Edm.DateTime'), prop('Id', 'Edm.Guid')],
  );
  const guidRecs: Rec[] = [
    { Equipment: '10000001', ValidTo: Date.UTC(9999, 11, 31), Id: 'abc' },
    { Equipment: 'a b', ValidTo: 0, Id: 'x"y\\z' },
    { Equipment: 'Ü', ValidTo: 1686182400000 },
  ];
  const guidStore = storeOf(dated, guidRecs);
  const dshape: Shape = { type: dated, props: dated.propertyList, navs: [] };
  for (const origin of ['http://h', 'http://q"uote']) {
    for (let i = 0; i < guidRecs.length; i++) {
      const r = guidStore.get(i)!;
      assert.equal(rendered(origin, guidStore, i, r, dshape), referenceEntity(origin, guidStore, r, dshape));
    }
  }
});

test('LastChangeDateTime ETags match etagOf, and invalid stamps fail as they did', () => {
  const type = entityType(
    'Changing',
    ['K'],
    [prop('K', 'Edm.String'), prop('LastChangeDateTime', 'Edm.DateTimeOffset')],
  );
  const store = storeOf(type, [{ K: '1', LastChangeDateTime: 0 }]);
  const r = new Rng(3, 1, 0);
  const stamps = [
    0, 1, 999, 86_399_999, 86_400_000, 1738118530839, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5,
  ];
  for (let k = 0; k < 20000; k++) stamps.push(Math.floor(r.next() * 4e12));
  for (const ms of stamps) {
    const rec: Rec = { K: '1', LastChangeDateTime: ms };
    assert.equal(etagMember(store, rec), `,"etag":${JSON.stringify(etagOf(store, rec))}`, String(ms));
  }
  assert.throws(() => etagOf(store, { K: '1', LastChangeDateTime: NaN }), RangeError);
  assert.throws(() => etagMember(store, { K: '1', LastChangeDateTime: NaN }), RangeError);
});

test('records of the sandbox render as the general encoders do', () => {
  const world = buildWorld({ seed: 5, volume: 120, now: new Date('2025-06-01T00:00:00Z') });
  let n = 0;
  for (const store of world.stores.values()) {
    const t = store.type;
    const shape: Shape = {
      type: t,
      props: t.propertyList,
      navs: [...t.navs.values()].map((nav) => ({ nav })),
    };
    for (let i = 0; i < Math.min(store.slots, 300); i++) {
      const r = store.get(i)!;
      assert.equal(
        rendered('http://127.0.0.1:1', store, i, r, shape),
        referenceEntity('http://127.0.0.1:1', store, r, shape),
      );
      n++;
    }
  }
  assert.ok(n > 1000, String(n));
});

test('JsonWriter: UTF-8 across flushes; pooled buffers are reused only after release', () => {
  const text = Array.from({ length: 5000 }, (_, i) => `{"n":${i},"s":"Prüfung ${i} 😀"}`);
  const w = new JsonWriter(1024);
  for (const t of text) w.write(t);
  assert.deepEqual(w.toBuffer(), Buffer.from(text.join('')));

  const page = (c: string) => {
    const pw = new JsonWriter(200_000, true);
    for (let k = 0; k < 150; k++) pw.write(c.repeat(1000));
    return pw;
  };
  const a = page('a');
  const bufA = a.toBuffer();
  const b = page('b');
  const bufB = b.toBuffer();
  assert.notEqual(bufA.buffer, bufB.buffer);
  assert.equal(bufA.toString(), 'a'.repeat(150_000));
  a.release();
  a.release();
  const c = new JsonWriter(200_000, true);
  c.write('c'.repeat(1000));
  assert.equal(c.toBuffer().buffer, bufA.buffer, 'the released buffer serves the next page');
  assert.equal(bufB.toString(), 'b'.repeat(150_000), 'an unreleased page is left alone');
  // Growing past the size hint keeps the text; a page handed out is not recycled by growing.
  const d = new JsonWriter(1024, true);
  for (const t of text) d.write(t);
  assert.deepEqual(d.toBuffer(), Buffer.from(text.join('')));
  b.release();
  c.release();
  d.release();
});

test('order, operation and component records do not depend on the order they are generated in', () => {
  const opts = { seed: 11, volume: 150, now: new Date('2025-06-01T00:00:00Z') };
  const sets = ['MaintenanceOrder', 'MaintenanceOrderOperation', 'MaintOrderOpComponent'];
  const expected = buildWorld(opts);
  const want = new Map(
    sets.map((s) => [s, [...expected.stores.get(s)!.indices()].map((i) => expected.stores.get(s)!.get(i))]),
  );
  // Another world of the same seed, read in a shuffled order interleaved with a third world.
  const world = buildWorld(opts);
  const other = buildWorld({ ...opts, seed: 12 });
  const r = new Rng(1, 2, 3);
  for (let k = 0; k < 4000; k++) {
    const set = r.pick(sets);
    const store = world.stores.get(set)!;
    const i = r.int(store.slots);
    other.stores.get(set)!.get(r.int(other.stores.get(set)!.slots));
    assert.deepStrictEqual(store.get(i), want.get(set)![i], `${set} ${i}`);
  }
});

test('pad is padStart with zeros', () => {
  for (const n of [0, 7, 42, 123456, -5, 1e21, 12345678901234567890]) {
    for (const w of [0, 1, 2, 4, 8, 12, 18, 30]) assert.equal(pad(n, w), String(n).padStart(w, '0'));
  }
});
