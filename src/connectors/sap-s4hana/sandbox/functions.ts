// Function imports: called with the HTTP method the EDMX declares (m:HttpMethod), parameters
// as query options, answered in the shape of the declared ReturnType.
import type { IncomingMessage } from 'node:http';
import type { FunctionImportModel, ServiceModel } from './edmx.ts';
import { literalFits, parseLiteral, type Value } from './edm-values.ts';
import { SapError, badRequest } from './errors.ts';
import { END_OF_TIME } from './data/context.ts';
import { TRANSITIONS, ST, statusFields } from './order-status.ts';
import { refuse } from './rules/common.ts';
import { renderEntity, fullShape } from './serializer.ts';
import { etagOf, type Rec, type SetStore } from './store.ts';
import { checkIfMatch } from './odata-write.ts';
import { renderCtx } from './odata-read.ts';
import { json, type Reply, type SandboxState } from './state.ts';

function readParams(fi: FunctionImportModel, params: Map<string, string>): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const p of fi.params) {
    const raw = params.get(p.name);
    if (raw === undefined) continue;
    const lit = parseLiteral(raw);
    if (!lit || !literalFits(p.type, lit.kind)) {
      throw badRequest(
        `Invalid value ${raw} for parameter '${p.name}' of function import '${fi.name}'`,
        '/IWBEP/CM_MGW_RT/004',
      );
    }
    out.set(p.name, lit.value);
  }
  for (const p of fi.params) {
    if (!p.nullable && !out.has(p.name)) {
      throw badRequest(
        `Parameter '${p.name}' of function import '${fi.name}' is missing`,
        '/IWBEP/CM_MGW_RT/004',
      );
    }
  }
  return out;
}

function dummyResult(svc: ServiceModel, fi: FunctionImportModel): Reply {
  const type = svc.complexTypes.get(fi.returnType ?? '');
  const body: Record<string, unknown> = { __metadata: { type: fi.returnType } };
  for (const p of type?.propertyList ?? []) body[p.name] = p.type === 'Edm.Boolean' ? false : '';
  return json(200, { d: { [fi.name]: body } });
}

function target(
  st: SandboxState,
  set: string,
  key: Rec,
  what: string,
): { store: SetStore; i: number; rec: Rec } {
  const store = st.world.stores.get(set)!;
  const i = store.find(key);
  if (i < 0) throw new SapError(404, 'IW/001', `${what} does not exist`);
  return { store, i, rec: store.get(i)! };
}

type Handler = (
  st: SandboxState,
  fi: FunctionImportModel,
  p: Map<string, Value>,
  req: IncomingMessage,
  user: string,
) => { set: string; index: number } | undefined;

const orderTransition: Handler = (st, fi, p, req, user) => {
  const t = target(
    st,
    'MaintenanceOrder',
    { MaintenanceOrder: p.get('MaintenanceOrder') as string },
    `Order ${p.get('MaintenanceOrder')}`,
  );
  // An If-Match is optional for function imports, but a stale one is refused.
  if (req.headers['if-match']) checkIfMatch(req, t.store, t.rec);
  const tr = TRANSITIONS[fi.name];
  const st0 = Number(t.rec.$st ?? ST.CRTD);
  const fl0 = Number(t.rec.$fl ?? 0);
  const why = tr.check(st0, fl0);
  if (why) throw refuse('IW/066', `Order ${t.rec.MaintenanceOrder}: ${why}`);
  const next = tr.apply(st0, fl0);
  const stamp = st.world.clock.stamp();
  const patch: Rec = { ...statusFields(next.st, next.fl), LastChangeByUser: user };
  if (next.st === ST.MWC && st0 !== ST.MWC)
    patch.MainWorkCompletedDateTime = (p.get('MainWorkCompletedDateTime') as number) ?? stamp;
  if (next.st === ST.REL && st0 === ST.MWC) patch.MainWorkCompletedDateTime = null;
  if (next.st >= ST.TECO && st0 < ST.TECO) {
    const ref = (p.get('MaintOrderReferenceDateTime') as number) ?? stamp;
    patch.MaintOrderReferenceDateTime = ref;
    patch.MaintOrderReferenceDate = ref - (ref % 86_400_000);
    patch.MaintOrderReferenceTime = ref % 86_400_000;
  }
  t.store.update(t.i, patch, stamp);
  return undefined;
};

const equipmentFlag =
  (field: string, value: boolean, already: string): Handler =>
  (st, _fi, p, req, user) => {
    const t = target(
      st,
      'Equipment',
      {
        Equipment: p.get('Equipment') as string,
        ValidityEndDate: (p.get('ValidityEndDate') as number) ?? END_OF_TIME,
      },
      `Equipment ${p.get('Equipment')}`,
    );
    if (req.headers['if-match']) checkIfMatch(req, t.store, t.rec);
    if (t.rec[field] === value) throw refuse('IE/040', `Equipment ${t.rec.Equipment} ${already}`);
    t.store.update(t.i, { [field]: value, LastChangedByUser: user }, st.world.clock.stamp());
    return undefined;
  };

const installation =
  (install: boolean): Handler =>
  (st, _fi, p, _req, user) => {
    const t = target(
      st,
      'Equipment',
      {
        Equipment: p.get('Equipment') as string,
        ValidityEndDate: (p.get('ValidityEndDate') as number) ?? END_OF_TIME,
      },
      `Equipment ${p.get('Equipment')}`,
    );
    if (t.rec.EquipmentIsMarkedForDeletion === true)
      throw refuse('IE/030', `Equipment ${t.rec.Equipment} is flagged for deletion`);
    const sup = (p.get('SuperordinateEquipment') as string) || '';
    const fl = (p.get('FunctionalLocation') as string) || '';
    if (install) {
      if (t.rec.EquipmentIsInstalled === true)
        throw refuse('IE/041', `Equipment ${t.rec.Equipment} is already installed; dismantle it first`);
      if (!sup && !fl) throw refuse('IE/042', 'Enter a superordinate equipment or a functional location');
      if (sup) target(st, 'Equipment', { Equipment: sup, ValidityEndDate: END_OF_TIME }, `Equipment ${sup}`);
    } else if (t.rec.EquipmentIsInstalled !== true) {
      throw refuse('IE/043', `Equipment ${t.rec.Equipment} is not installed`);
    }
    t.store.update(
      t.i,
      {
        SuperordinateEquipment: install ? sup : '',
        FunctionalLocation: install ? fl : '',
        FunctionalLocationLabelName: install ? fl : '',
        FunctionalLocationName: '',
        EquipInstallationPositionNmbr: install
          ? (p.get('EquipInstallationPositionNmbr') as string) || ''
          : '',
        EquipmentIsInstalled: install,
        EquipmentIsAvailable: !install,
        EquipIsAllocToSuperiorEquip: install && !!sup,
        LastChangedByUser: user,
      },
      st.world.clock.stamp(),
    );
    return { set: 'Equipment', index: t.i };
  };

const HANDLERS: Record<string, Handler> = {
  ...Object.fromEntries(Object.keys(TRANSITIONS).map((n) => [n, orderTransition])),
  AssignMaintNotificationToOrder: (st, _fi, p, req, user) => {
    const t = target(
      st,
      'MaintenanceOrder',
      { MaintenanceOrder: p.get('MaintenanceOrder') as string },
      `Order ${p.get('MaintenanceOrder')}`,
    );
    if (req.headers['if-match']) checkIfMatch(req, t.store, t.rec);
    if (Number(t.rec.$st) >= ST.TECO) throw refuse('IW/066', `Order ${t.rec.MaintenanceOrder} is completed`);
    t.store.update(
      t.i,
      { MaintenanceNotification: p.get('MaintenanceNotification') as string, LastChangeByUser: user },
      st.world.clock.stamp(),
    );
    return undefined;
  },
  SetEquipToMarkedForDeletion: equipmentFlag(
    'EquipmentIsMarkedForDeletion',
    true,
    'is already flagged for deletion',
  ),
  RsetEquipFromMarkedForDeletion: equipmentFlag(
    'EquipmentIsMarkedForDeletion',
    false,
    'is not flagged for deletion',
  ),
  SetEquipmentToInactive: equipmentFlag('EquipmentIsInactive', true, 'is already inactive'),
  ResetEquipmentFromInactive: equipmentFlag('EquipmentIsInactive', false, 'is not inactive'),
  InstallEquipment: installation(true),
  InstallEquipWithDataTransfer: installation(true),
  DismantleEquipment: installation(false),
  DismantleEquipWithDataTransfer: installation(false),
};

export function handleFunction(
  st: SandboxState,
  svc: ServiceModel,
  name: string,
  method: string,
  params: Map<string, string>,
  req: IncomingMessage,
  origin: string,
  user: string,
): Reply {
  const fi = svc.functionImports.get(name)!;
  if (method !== fi.httpMethod && !(method === 'HEAD' && fi.httpMethod === 'GET')) {
    throw new SapError(
      405,
      '/IWBEP/CM_MGW_RT/110',
      `Function import '${name}' must be called with ${fi.httpMethod}`,
      {
        headers: { allow: fi.httpMethod },
      },
    );
  }
  const p = readParams(fi, params);
  const handler = HANDLERS[name];
  if (!handler)
    throw new SapError(
      501,
      '/IWBEP/CM_MGW_RT/051',
      `Function import '${name}' is not implemented in the sandbox`,
    );
  const result = handler(st, fi, p, req, user);
  if (fi.entitySet && result) {
    const store = st.world.stores.get(result.set)!;
    const rec = store.get(result.index)!;
    const etag = etagOf(store, rec);
    const body = `{"d":${renderEntity(renderCtx(st, origin), store, result.index, rec, fullShape(store.type))}}`;
    return json(200, body, etag ? { etag } : {});
  }
  return dummyResult(svc, fi);
}
