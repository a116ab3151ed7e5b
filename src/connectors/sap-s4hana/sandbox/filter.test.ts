// $filter parsing, type checks against the EDMX model, and the index-range split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilter, extractRange, parseFilter } from './filter.ts';
import { loadServices } from './edmx.ts';
import { SapError } from './errors.ts';

const type = loadServices().get('API_MAINTENANCEORDER')!.entitySets.get('MaintenanceOrder')!.entityType;
const check = (f: string, rec: Record<string, unknown>) => compileFilter(parseFilter(f), type)(rec as never);

test('operators, precedence and functions evaluate like OData v2', () => {
  const r = {
    MaintenanceOrderType: 'PM01',
    MaintPriority: '2',
    MaintenanceCall: 5,
    MaintenanceOrderDesc: "O'Brien pump",
  };
  assert.equal(
    check("MaintenanceOrderType eq 'PM01' or MaintenanceOrderType eq 'PM02' and MaintPriority eq '9'", r),
    true,
  );
  assert.equal(
    check("(MaintenanceOrderType eq 'PM01' or MaintenanceOrderType eq 'PM02') and MaintPriority eq '9'", r),
    false,
  );
  assert.equal(check('not (MaintenanceCall gt 4)', r), false);
  assert.equal(check('MaintenanceCall ge 5 and MaintenanceCall le 5.0m', r), true);
  assert.equal(
    check("substringof('Brien',MaintenanceOrderDesc) and startswith(MaintenanceOrderDesc,'O''B')", r),
    true,
  );
  assert.equal(check("endswith(MaintenanceOrderDesc,'pump') eq true", r), true);
  assert.equal(
    check("length(MaintenanceOrderDesc) eq 12 and toupper(MaintenanceOrderType) eq 'PM01'", r),
    true,
  );
  // Fields a record does not carry compare as their initial value.
  assert.equal(check("MaintenanceNotification eq ''", r), true);
  assert.equal(check('MainWorkCompletedDateTime eq null', r), true);
  assert.equal(check("MainWorkCompletedDateTime gt datetimeoffset'2020-01-01T00:00:00Z'", r), false);
});

test('date literals: datetime, datetimeoffset with offsets and fractions', () => {
  const r = { LastChangeDateTime: Date.UTC(2024, 0, 1, 12), MaintOrdBasicStartDate: Date.UTC(2024, 0, 1) };
  assert.equal(check("LastChangeDateTime eq datetimeoffset'2024-01-01T13:00:00+01:00'", r), true);
  assert.equal(check("LastChangeDateTime gt datetimeoffset'2024-01-01T11:59:59.999Z'", r), true);
  assert.equal(check("MaintOrdBasicStartDate eq datetime'2024-01-01T00:00'", r), true);
});

test('refusals are 400 SapErrors', () => {
  for (const f of [
    "SystemStatusText eq 'x'",
    "Nope eq 'x'",
    'MaintenanceOrder eq 1',
    "MaintenanceOrder eq 'x' and",
    "foo('x')",
    "MaintenanceOrder eq 'x",
  ]) {
    assert.throws(
      () => check(f, {}),
      (e: unknown) => e instanceof SapError && e.status === 400,
      f,
    );
  }
});

test('a LastChangeDateTime range is split off the AND chain for the index', () => {
  const f = parseFilter(
    "LastChangeDateTime ge datetimeoffset'2024-01-01T00:00:00Z' and MaintenanceOrderType eq 'PM01' and datetimeoffset'2024-02-01T00:00:00Z' gt LastChangeDateTime",
  );
  const { range, rest } = extractRange(f, 'LastChangeDateTime');
  assert.deepEqual(range, {
    lo: Date.UTC(2024, 0, 1),
    loInclusive: true,
    hi: Date.UTC(2024, 1, 1),
    hiInclusive: false,
  });
  assert.deepEqual(rest, {
    k: 'cmp',
    op: 'eq',
    a: { k: 'prop', name: 'MaintenanceOrderType' },
    b: { k: 'lit', lit: { kind: 'string', value: 'PM01' } },
  });
  const or = extractRange(
    parseFilter("LastChangeDateTime ge datetimeoffset'2024-01-01T00:00:00Z' or MaintPriority eq '1'"),
    'LastChangeDateTime',
  );
  assert.equal(or.range, undefined);
});
