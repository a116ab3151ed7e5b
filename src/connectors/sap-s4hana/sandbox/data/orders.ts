// Maintenance orders with their operations and components. Statuses follow the age of the
// order (old ones mostly completed or closed, recent ones in planning or execution).
import type { Rec, SetSource } from '../store.ts';
import { Rng, STREAM, hash32, unit } from '../random.ts';
import { Nested } from '../indexes.ts';
import {
  ACTIVITY_TYPES,
  OPERATION_TEXTS,
  ORDER_TEXTS,
  PLANNER_GROUPS,
  USERS,
  WORK_CENTERS,
  type PlantDef,
} from './catalog.ts';
import { DAY, ageOf, changedAt, createdAt, dayStart, pad, timeOfDay, trunc, type Ctx } from './context.ts';
import { equipmentId, equipmentName, equipmentPlant, functionalLocationId } from './equipment.ts';
import { pickSparePart, productGroup, productId, productPrice, productText, productUnit } from './master.ts';
import { FL, ST, statusParts } from '../order-status.ts';

export const orderId = (i: number) => String(4000001 + i);
export function orderIndex(ctx: Ctx, id: unknown): number {
  const i = Number(id) - 4000001;
  return typeof id === 'string' && Number.isInteger(i) && i >= 0 && i < ctx.scale.orders && orderId(i) === id
    ? i
    : -1;
}

interface OrderCore {
  created: number;
  equipment: number;
  plant: PlantDef;
  type: 'PM01' | 'PM02' | 'PM03';
  st: number;
  fl: number;
  start: number;
  end: number;
  /** Positioned after the core's draws. */
  r: Rng;
}

function statusByAge(age: number, u: number): number {
  const table =
    age > 0.5
      ? [ST.CRTD, 0.05, ST.REL, 0.13, ST.MWC, 0.16, ST.TECO, 0.55]
      : age > 0.15
        ? [ST.CRTD, 0.15, ST.REL, 0.45, ST.MWC, 0.5, ST.TECO, 0.85]
        : [ST.CRTD, 0.35, ST.REL, 0.8, ST.MWC, 0.88, ST.TECO, 1.01];
  for (let k = 0; k < table.length; k += 2) if (u < table[k + 1]) return table[k];
  return ST.CLSD;
}

/** The draws every view of order i shares (header, operations, components). */
function computeOrderCore(ctx: Ctx, i: number): OrderCore {
  const r = new Rng(ctx.seed, STREAM.order, i);
  const created = createdAt(ctx, STREAM.order, i, ctx.scale.orders);
  const equipment = r.int(ctx.scale.equipment);
  const u = r.next();
  const type = u < 0.45 ? 'PM01' : u < 0.85 ? 'PM02' : 'PM03';
  const st = statusByAge(ageOf(ctx, created), r.next());
  let fl = 0;
  if ((st === ST.CRTD || st === ST.TECO) && r.chance(0.04)) fl |= FL.DLFL;
  if (st === ST.REL && r.chance(0.02)) fl |= FL.LOCKED;
  if (st === ST.REL && r.chance(0.3)) fl |= FL.DISPATCHED;
  const start = created + r.range(1, 14 * 24) * 3_600_000;
  const end = start + r.range(4, 10 * 24) * 3_600_000;
  return { created, equipment, plant: equipmentPlant(equipment), type, st, fl, start, end, r };
}

// An order is rendered with its operations and components, which all start from its core: the
// last core of each world is kept.
const lastCores = new WeakMap<Ctx, { i: number; core: OrderCore }>();

/** The core of order i, shared: never change it, and draw from `r.copy()`, not from `r`. */
export function orderCore(ctx: Ctx, i: number): OrderCore {
  const last = lastCores.get(ctx);
  if (last && last.i === i) return last.core;
  const core = computeOrderCore(ctx, i);
  lastCores.set(ctx, { i, core });
  return core;
}

export function orderSource(ctx: Ctx): SetSource {
  const n = ctx.scale.orders;
  const lcdt = (i: number) => changedAt(ctx, STREAM.order, i, createdAt(ctx, STREAM.order, i, n));
  return {
    baseCount: n,
    keyOrdered: true,
    fast: {
      MaintenanceOrder: (i) => orderId(i),
      MaintOrderCreationDateTime: (i) => createdAt(ctx, STREAM.order, i, n),
      MaintenanceOrderType: (i) => orderCore(ctx, i).type,
      MaintenancePlanningPlant: (i) => orderCore(ctx, i).plant.plant,
      Equipment: (i) => equipmentId(orderCore(ctx, i).equipment),
    },
    baseLcdt: lcdt,
    gen: (i) => {
      const c = orderCore(ctx, i);
      const r = c.r.copy();
      const eqName = equipmentName(ctx, c.equipment);
      const flId = functionalLocationId(ctx, c.equipment);
      const texts = ORDER_TEXTS[c.type];
      const changed = lcdt(i);
      const cc = c.plant.company;
      const eq = equipmentId(c.equipment);
      const status = statusParts(c.st, c.fl);
      const start = c.start;
      const end = c.end;
      const startDay = dayStart(start);
      const startTime = timeOfDay(start);
      const endDay = dayStart(end);
      const endTime = timeOfDay(end);
      // One literal (the generator draws in the order of its fields), so records keep one layout.
      const rec: Rec = {
        MaintenanceOrder: orderId(i),
        MaintenanceOrderType: c.type,
        MaintenanceOrderDesc: trunc(`${r.pick(texts)} ${eqName}`, 40),
        MaintenanceNotification: c.type === 'PM01' && r.chance(0.7) ? String(10000001 + i) : '',
        MainWorkCenter: r.pick(WORK_CENTERS),
        MainWorkCenterPlant: c.plant.plant,
        MainWorkCenterTypeCode: 'A',
        WorkCenter: r.pick(WORK_CENTERS),
        WorkCenterTypeCode: 'A',
        MaintenancePlanningPlant: c.plant.plant,
        MaintenancePlant: c.plant.plant,
        ControllingArea: cc.controllingArea,
        CompanyCode: cc.code,
        CostCenter: `${c.plant.plant}0${r.range(100, 199)}`,
        ProfitCenter: `YB${c.plant.plant.slice(0, 2)}0`,
        Currency: cc.currency,
        Equipment: eq,
        EquipmentName: eqName,
        FunctionalLocation: flId,
        MaintenancePlannerGroup: r.pick(PLANNER_GROUPS),
        MaintenanceActivityType: ACTIVITY_TYPES[c.type],
        MaintPriority:
          c.type === 'PM01' ? r.pick(['1', '2', '2', '3']) : c.type === 'PM02' ? r.pick(['3', '4']) : '3',
        MaintPriorityType: 'PM',
        OrderProcessingGroup: '',
        MaintenanceOrderInternalID: `OR${pad(4000001 + i, 12)}`,
        MaintenanceObjectList: i + 1,
        MaintObjectLocAcctAssgmtNmbr: pad(c.equipment + 1, 12),
        PlantSection: flId.slice(5, 8),
        ABCIndicator: r.pick(['A', 'B', 'C']),
        LatestAcceptableCompletionDate: dayStart(c.end + 7 * DAY),
        CreatedByUser: r.pick(USERS),
        LastChangeByUser: r.pick(USERS),
        MaintOrderCreationDateTime: c.created,
        OrderHasLongText: r.chance(0.2),
        ControllingObjectClass: 'OC',
        TechnicalObject: eq,
        TechnicalObjectLabel: eq,
        TechObjIsEquipOrFuncnlLoc: 'EAMS_EQUI',
        $st: c.st,
        $fl: c.fl,
        MaintOrdProcessPhaseCode: status.phase,
        MaintOrdProcessSubPhaseCode: status.subPhase,
        SystemStatusText: status.text,
        MaintOrdBasicStartDateTime: start,
        MaintOrdBasicStartDate: startDay,
        MaintOrdBasicStartTime: startTime,
        MaintOrdBasicEndDateTime: end,
        MaintOrdBasicEndDate: endDay,
        MaintOrdBasicEndTime: endTime,
        MaintOrdSchedldBscStrtDateTime: start,
        ScheduledBasicStartDate: startDay,
        ScheduledBasicStartTime: startTime,
        MaintOrdSchedldBscEndDateTime: end,
        ScheduledBasicEndDate: endDay,
        ScheduledBasicEndTime: endTime,
      };
      if (c.type === 'PM02') {
        rec.MaintenancePlan = String(1000 + (hash32(ctx.seed, STREAM.order, i, 5) % 500));
        rec.MaintenanceCall = 1 + (hash32(ctx.seed, STREAM.order, i, 6) % 24);
        rec.MaintenanceItem = String(rec.MaintenancePlan);
      }
      if (c.st >= ST.MWC) rec.MainWorkCompletedDateTime = Math.min(c.end, changed);
      if (c.st >= ST.TECO) {
        rec.MaintOrderReferenceDateTime = changed;
        rec.MaintOrderReferenceDate = dayStart(changed);
        rec.MaintOrderReferenceTime = timeOfDay(changed);
      }
      return rec;
    },
    findBase: (k) => orderIndex(ctx, k.MaintenanceOrder),
  };
}

// ---- operations ------------------------------------------------------------------------------

export const operationNesting = (ctx: Ctx) =>
  new Nested(ctx.scale.orders, (m) => 1 + (hash32(ctx.seed, STREAM.operation, m) % 4));

const opNumber = (local: number) => pad((local + 1) * 10, 4);

export function operationSource(ctx: Ctx, ops: Nested): SetSource {
  return {
    baseCount: ops.total,
    keyOrdered: true,
    fast: { MaintenanceOrder: (j) => orderId(ops.parentOf(j)) },
    gen: (j) => {
      const m = ops.parentOf(j);
      const local = j - ops.start[m];
      const c = orderCore(ctx, m);
      const r = new Rng(ctx.seed, STREAM.operation, j);
      const external = r.chance(0.12);
      const hours = r.range(1, 8);
      const caps = r.range(1, 2);
      const opStart = c.start + local * 4 * 3_600_000;
      const opEnd = opStart + hours * 3_600_000;
      const done = c.st >= ST.MWC || (c.st === ST.REL && r.chance(0.4));
      const status = statusParts(c.st, c.fl);
      const startDay = dayStart(opStart);
      const startTime = timeOfDay(opStart);
      const endDay = dayStart(opEnd);
      const endTime = timeOfDay(opEnd);
      const rec: Rec = {
        MaintenanceOrder: orderId(m),
        MaintenanceOrderOperation: opNumber(local),
        MaintenanceOrderSubOperation: '',
        OperationControlKey: external ? 'PM03' : 'PM01',
        WorkCenter: r.pick(WORK_CENTERS),
        OperationWorkCenterTypeCode: 'A',
        Plant: c.plant.plant,
        OperationDescription:
          OPERATION_TEXTS[(local + (hash32(ctx.seed, STREAM.operation, m, 1) % 3)) % OPERATION_TEXTS.length],
        MaintOrderRoutingNumber: pad(m + 1, 10),
        MaintenanceOrderRoutingNode: pad(local + 1, 8),
        Language: 'EN',
        NumberOfCapacities: caps,
        OperationWorkPercent: 100,
        OperationCalculationControl: '1',
        MaintOrderOperationDuration: hours,
        MaintOrdOperationDurationUnit: 'H',
        MaintOrdOperationWorkDuration: hours * caps,
        MaintOrdOpWorkDurationUnit: 'H',
        ActualWorkQuantity: done ? hours * caps + r.range(-1, 2) * 0.5 : 0,
        Equipment: equipmentId(c.equipment),
        FunctionalLocation: functionalLocationId(ctx, c.equipment),
        MaintenanceActivityType: ACTIVITY_TYPES[c.type],
        ControllingArea: c.plant.company.controllingArea,
        MaintOrderOperationInternalID: `OV${pad(m + 1, 10)}${pad(local + 1, 8)}`,
        MaintOrdOpProcessPhaseCode: status.phase,
        MaintOrdOpProcessSubPhaseCode: status.subPhase,
        SystemStatusText: c.st === ST.CRTD ? 'CRTD' : done ? 'CNF' : c.st === ST.REL ? 'REL' : 'CNF',
        MaintOrdOpHasNoRemainingWork: done,
        MaintOrderConfirmation: done ? pad(500000 + j, 10) : '',
        MaintOrderConfCntrValue: done ? pad(1, 8) : '',
        OpErlstSchedldExecStrtDteTme: opStart,
        OpErlstSchedldExecStrtDte: startDay,
        OpErlstSchedldExecStrtTme: startTime,
        OpErlstSchedldExecEndDteTme: opEnd,
        OpErlstSchedldExecEndDte: endDay,
        OpErlstSchedldExecEndTme: endTime,
        OpLtstSchedldExecStrtDteTme: opStart,
        OpLtstSchedldExecStrtDte: startDay,
        OpLtstSchedldExecStrtTme: startTime,
        OpLtstSchedldExecEndDteTme: opEnd,
        OpLtstSchedldExecEndDte: endDay,
        OpLtstSchedldExecEndTme: endTime,
      };
      if (external) {
        rec.PurchasingOrganization = c.plant.company.purchasingOrganization;
        rec.PurchasingGroup = '001';
        rec.MaterialGroup = 'SV01';
        rec.OpExternalProcessingPrice = r.range(200, 4000);
        rec.OpExternalProcessingPriceUnit = 1;
        rec.OpExternalProcessingCurrency = c.plant.company.currency;
        rec.CostElement = '61003000';
      }
      if (done) {
        rec.OpActualExecutionStartDateTime = opStart;
        rec.OpActualExecutionStartDate = startDay;
        rec.OpActualExecutionStartTime = startTime;
        rec.OpActualExecutionEndDateTime = opEnd;
        rec.OpActualExecutionEndDate = endDay;
        rec.OpActualExecutionEndTime = endTime;
      }
      return rec;
    },
    findBase: (k) => {
      const m = orderIndex(ctx, k.MaintenanceOrder);
      if (m < 0 || k.MaintenanceOrderSubOperation !== '' || typeof k.MaintenanceOrderOperation !== 'string')
        return -1;
      const num = Number(k.MaintenanceOrderOperation);
      const local = num / 10 - 1;
      return Number.isInteger(local) &&
        local >= 0 &&
        local < ops.count(m) &&
        opNumber(local) === k.MaintenanceOrderOperation
        ? ops.start[m] + local
        : -1;
    },
  };
}

// ---- components (stock items on internal operations) -----------------------------------------

export const componentNesting = (ctx: Ctx, ops: Nested) =>
  new Nested(ops.total, (j) =>
    unit(ctx.seed, STREAM.operation, j, 9) < 0.12 ? 0 : hash32(ctx.seed, STREAM.component, j) % 3,
  );

const reservationOf = (m: number) => pad(1000001 + m, 10);

export function componentSource(ctx: Ctx, ops: Nested, comps: Nested): SetSource {
  return {
    baseCount: comps.total,
    keyOrdered: true,
    fast: { MaintenanceOrder: (k) => orderId(ops.parentOf(comps.parentOf(k))) },
    gen: (k) => {
      const j = comps.parentOf(k);
      const m = ops.parentOf(j);
      const local = j - ops.start[m];
      const c = orderCore(ctx, m);
      const r = new Rng(ctx.seed, STREAM.component, k);
      const p = pickSparePart(ctx, r);
      const item = k - comps.start[ops.start[m]] + 1;
      const qty = r.range(1, 6);
      const issued = c.st >= ST.MWC ? qty : c.st === ST.REL ? r.range(0, qty) : 0;
      const reqAt = c.start + local * 4 * 3_600_000;
      const reservation = reservationOf(m);
      const itemNo = pad(item, 4);
      const unitCode = productUnit(ctx, p);
      return {
        MaintenanceOrder: orderId(m),
        MaintenanceOrderOperation: opNumber(local),
        MaintenanceOrderSubOperation: '',
        MaintOrderComponentInternalID: `${reservation}${itemNo}`,
        MaintenanceOrderComponent: pad((k - comps.start[j] + 1) * 10, 4),
        Reservation: reservation,
        ReservationItem: itemNo,
        MaintOrderRoutingNumber: pad(m + 1, 10),
        MaintOrderOperationCounter: pad(local + 1, 8),
        Product: productId(ctx, p),
        MaintOrdOperationComponentText: productText(ctx, p, 'EN'),
        MaintOrdOpCompRequiredQuantity: qty,
        BaseUnit: unitCode,
        QuantityInUnitOfEntry: qty,
        UnitOfEntry: unitCode,
        Plant: c.plant.plant,
        StorageLocation: c.plant.storageLocations[2],
        MaintComponentItemCategory: 'L',
        GoodsMovementType: '261',
        ReservationIsFinallyIssued: issued === qty && c.st >= ST.MWC,
        MaterialGroup: productGroup('ERSA'),
        GoodsMovementIsAllowed: c.st >= ST.REL,
        MaintOrderCompDebitCreditCode: 'H',
        MaintOrderOpComponentPrice: productPrice(ctx, p),
        MaintOrdOpCompPriceUnitQty: 1,
        MaintOrdOpComponentCurrency: c.plant.company.currency,
        QuantityWithdrawnInBaseUnit: issued,
        ConfirmedAvailableQuantity: qty,
        ControllingArea: c.plant.company.controllingArea,
        IsDeleted: false,
        RequirementDateTime: reqAt,
        RequirementDate: dayStart(reqAt),
        RequirementTime: timeOfDay(reqAt),
      };
    },
    findBase: (key) => {
      const j = operationSource(ctx, ops).findBase({ ...key });
      if (j < 0 || typeof key.MaintOrderComponentInternalID !== 'string') return -1;
      const m = ops.parentOf(j);
      const id = key.MaintOrderComponentInternalID;
      if (id.slice(0, 10) !== reservationOf(m)) return -1;
      const k = comps.start[ops.start[m]] + Number(id.slice(10)) - 1;
      return k >= comps.start[j] && k < comps.start[j + 1] ? k : -1;
    },
  };
}
