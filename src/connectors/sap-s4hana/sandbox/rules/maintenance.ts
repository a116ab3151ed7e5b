// Maintenance order rules: creation needs an order type, a technical object and a planning
// plant; an order that is completed, closed, locked or flagged for deletion refuses changes to
// itself, its operations and components. Status moves only through function imports.
import { ACTIVITY_TYPES, ORDER_TYPES, PLANTS } from '../data/catalog.ts';
import { END_OF_TIME } from '../data/context.ts';
import { ST, changeBlocker, statusFields } from '../order-status.ts';
import type { Rec } from '../store.ts';
import { childrenOf, linkOf, type World } from '../world.ts';
import { exists, pad, parentOf, refuse, required, type SetRules, type WriteCtx } from './common.ts';

function orderOf(world: World, rec: Rec): { index: number; rec: Rec } {
  const s = world.stores.get('MaintenanceOrder')!;
  const index = s.find({ MaintenanceOrder: rec.MaintenanceOrder });
  if (index < 0) throw refuse('IW/001', `Order ${rec.MaintenanceOrder} does not exist`, 'MaintenanceOrder');
  return { index, rec: s.get(index)! };
}

function assertOrderChangeable(order: Rec): void {
  const why = changeBlocker(Number(order.$st ?? ST.CRTD), Number(order.$fl ?? 0));
  if (why) throw refuse('IW/057', `Order ${order.MaintenanceOrder}: ${why}; changes are not allowed`);
}

function equipmentOf(world: World, id: unknown): Rec {
  const eq = exists(world, 'Equipment', { Equipment: id as string, ValidityEndDate: END_OF_TIME });
  if (!eq) throw refuse('IW/010', `Equipment ${id} does not exist`, 'Equipment');
  if (eq.EquipmentIsMarkedForDeletion === true)
    throw refuse('IW/011', `Equipment ${id} is flagged for deletion`, 'Equipment');
  return eq;
}

export const maintenanceOrderRules: SetRules = {
  create(c, rec, children) {
    if (rec.MaintenanceOrder)
      throw refuse('IW/020', 'Order numbers are assigned internally', 'MaintenanceOrder');
    required(rec, ['MaintenanceOrderType'], 'IW/021');
    const type = String(rec.MaintenanceOrderType) as (typeof ORDER_TYPES)[number];
    if (!ORDER_TYPES.includes(type))
      throw refuse('IW/022', `Order type ${type} is not defined`, 'MaintenanceOrderType');
    if (!rec.Equipment && !rec.FunctionalLocation) {
      throw refuse('IW/023', 'Enter an equipment or a functional location', 'Equipment');
    }
    const eq = rec.Equipment ? equipmentOf(c.world, rec.Equipment) : undefined;
    if (!rec.MaintenancePlanningPlant && eq) rec.MaintenancePlanningPlant = eq.MaintenancePlanningPlant;
    required(rec, ['MaintenancePlanningPlant'], 'IW/021');
    const plant = PLANTS.find((p) => p.plant === rec.MaintenancePlanningPlant);
    if (!plant)
      throw refuse(
        'IW/024',
        `Planning plant ${rec.MaintenancePlanningPlant} does not exist`,
        'MaintenancePlanningPlant',
      );
    if (rec.MaintPriority && !['1', '2', '3', '4'].includes(String(rec.MaintPriority))) {
      throw refuse('IW/025', `Priority ${rec.MaintPriority} is not defined`, 'MaintPriority');
    }
    const store = c.world.stores.get('MaintenanceOrder')!;
    const number = 4000001 + store.slots;
    Object.assign(rec, {
      MaintenanceOrder: String(number),
      MaintenancePlant: rec.MaintenancePlant || plant.plant,
      CompanyCode: plant.company.code,
      ControllingArea: plant.company.controllingArea,
      Currency: plant.company.currency,
      MainWorkCenter: rec.MainWorkCenter || 'MECH-A',
      MainWorkCenterPlant: rec.MainWorkCenterPlant || plant.plant,
      MainWorkCenterTypeCode: 'A',
      MaintPriorityType: 'PM',
      MaintenanceActivityType: rec.MaintenanceActivityType || ACTIVITY_TYPES[type],
      EquipmentName: eq?.EquipmentName ?? '',
      FunctionalLocation: rec.FunctionalLocation || eq?.FunctionalLocation || '',
      TechnicalObject: rec.Equipment || rec.FunctionalLocation,
      TechnicalObjectLabel: rec.Equipment || rec.FunctionalLocation,
      TechObjIsEquipOrFuncnlLoc: rec.Equipment ? 'EAMS_EQUI' : 'EAMS_FL',
      MaintenanceOrderInternalID: `OR${pad(number, 12)}`,
      CreatedByUser: c.user,
      LastChangeByUser: c.user,
      MaintOrderCreationDateTime: c.stamp,
      ...statusFields(ST.CRTD, 0),
    });
    // SAP creates a first operation when the order comes without any.
    if (!(children.get('to_MaintenanceOrderOperation') ?? []).length) {
      children.set('to_MaintenanceOrderOperation', [
        {
          OperationDescription: String(rec.MaintenanceOrderDesc ?? '').slice(0, 40),
          OperationControlKey: 'PM01',
        },
      ]);
    }
  },
  update(c, _i, current, patch) {
    assertOrderChangeable(current);
    if (patch.Equipment !== undefined && patch.Equipment !== current.Equipment && patch.Equipment) {
      patch.EquipmentName = equipmentOf(c.world, patch.Equipment).EquipmentName;
    }
    patch.LastChangeByUser = c.user;
  },
};

export const operationRules: SetRules = {
  create(c, rec) {
    const order = orderOf(c.world, rec);
    assertOrderChangeable(order.rec);
    if (!rec.MaintenanceOrderOperation) {
      const link = linkOf(c.world, 'MaintenanceOrder', 'to_MaintenanceOrderOperation')!;
      const ops = c.world.stores.get('MaintenanceOrderOperation')!;
      const max = childrenOf(c.world, link, order.index).reduce(
        (m, j) => Math.max(m, Number(ops.get(j)!.MaintenanceOrderOperation)),
        0,
      );
      rec.MaintenanceOrderOperation = pad(max + 10, 4);
    }
    Object.assign(rec, {
      MaintenanceOrderSubOperation: rec.MaintenanceOrderSubOperation ?? '',
      OperationControlKey: rec.OperationControlKey || 'PM01',
      Plant: rec.Plant || order.rec.MaintenancePlanningPlant,
      WorkCenter: rec.WorkCenter || order.rec.MainWorkCenter,
      Language: 'EN',
      SystemStatusText: 'CRTD',
      MaintOrdOpProcessPhaseCode: order.rec.MaintOrdProcessPhaseCode,
      MaintOrdOpProcessSubPhaseCode: order.rec.MaintOrdProcessSubPhaseCode,
    });
  },
  update(c: WriteCtx, _i, current) {
    assertOrderChangeable(orderOf(c.world, current).rec);
  },
  remove(c, _i, current) {
    const order = orderOf(c.world, current).rec;
    assertOrderChangeable(order);
    if (Number(order.$st) !== ST.CRTD) {
      throw refuse('IW/058', `Operations of released order ${order.MaintenanceOrder} cannot be deleted`);
    }
    return undefined;
  },
};

export const componentRules: SetRules = {
  update(c, _i, current) {
    assertOrderChangeable(orderOf(c.world, current).rec);
  },
  remove(c, _i, current) {
    const parent = parentOf(c.world, 'MaintOrderOpComponent', current);
    if (parent) assertOrderChangeable(orderOf(c.world, current).rec);
    if (Number(current.QuantityWithdrawnInBaseUnit ?? 0) > 0) {
      throw refuse('IW/059', 'Components with goods issues cannot be deleted');
    }
    return undefined;
  },
};

export const equipmentRules: SetRules = {
  create(c, rec) {
    if (rec.Equipment) throw refuse('IE/020', 'Equipment numbers are assigned internally', 'Equipment');
    required(rec, ['EquipmentCategory'], 'IE/021');
    if (!['M', 'P', 'Q', 'S', 'A'].includes(String(rec.EquipmentCategory))) {
      throw refuse(
        'IE/022',
        `Equipment category ${rec.EquipmentCategory} is not defined`,
        'EquipmentCategory',
      );
    }
    for (const f of ['MaintenancePlant', 'MaintenancePlanningPlant']) {
      if (rec[f] && !exists(c.world, 'A_Plant', { Plant: rec[f] }))
        throw refuse('IE/024', `Plant ${rec[f]} does not exist`, f);
    }
    if (rec.SuperordinateEquipment) equipmentOf(c.world, rec.SuperordinateEquipment);
    const store = c.world.stores.get('Equipment')!;
    const number = 10000001 + store.slots;
    Object.assign(rec, {
      Equipment: String(number),
      ValidityEndDate: END_OF_TIME,
      ValidityEndTime: 86_399_000,
      EquipmentValidityEndDateTime: END_OF_TIME + 86_399_000,
      ValidityStartDate: rec.ValidityStartDate ?? c.stamp - (c.stamp % 86_400_000),
      CreationDate: c.stamp - (c.stamp % 86_400_000),
      CreatedByUser: c.user,
      LastChangedByUser: c.user,
      MaintObjectInternalID: `IE${pad(number, 18)}`,
      EquipmentIsAvailable: !rec.SuperordinateEquipment,
      EquipmentIsInstalled: !!rec.SuperordinateEquipment,
      EquipIsAllocToSuperiorEquip: !!rec.SuperordinateEquipment,
      EquipmentIsMarkedForDeletion: false,
      EquipmentIsInactive: false,
    });
  },
  update(c, _i, current, patch) {
    if (current.EquipmentIsMarkedForDeletion === true) {
      throw refuse('IE/030', `Equipment ${current.Equipment} is flagged for deletion and cannot be changed`);
    }
    if (patch.SuperordinateEquipment) {
      if (patch.SuperordinateEquipment === current.Equipment)
        throw refuse('IE/031', 'Equipment cannot be its own superior');
      equipmentOf(c.world, patch.SuperordinateEquipment);
    }
    patch.LastChangedByUser = c.user;
  },
};
