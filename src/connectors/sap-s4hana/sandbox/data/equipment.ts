// Equipment: technical objects per plant, installed at functional locations, some of them
// installed in a superordinate equipment (a hierarchy up to a few levels deep).
import type { SetSource } from '../store.ts';
import { Rng, STREAM, hash32, unit } from '../random.ts';
import {
  AREAS,
  EQUIPMENT_KINDS,
  MANUFACTURERS,
  PLANNER_GROUPS,
  PLANTS,
  USERS,
  WORK_CENTERS,
} from './catalog.ts';
import { END_OF_TIME, changedAt, createdAt, dayStart, pad, trunc, type Ctx } from './context.ts';

export const equipmentId = (i: number) => String(10000001 + i);
export const equipmentPlant = (i: number) => PLANTS[i % PLANTS.length];
const kindOf = (ctx: Ctx, i: number) =>
  EQUIPMENT_KINDS[hash32(ctx.seed, STREAM.equipment, i, 1) % EQUIPMENT_KINDS.length];

export function equipmentIndex(ctx: Ctx, id: unknown): number {
  const i = Number(id) - 10000001;
  return typeof id === 'string' &&
    Number.isInteger(i) &&
    i >= 0 &&
    i < ctx.scale.equipment &&
    equipmentId(i) === id
    ? i
    : -1;
}

export function equipmentName(ctx: Ctx, i: number): string {
  const k = kindOf(ctx, i);
  return trunc(`${k.name} ${k.tag}-${100 + (Math.floor(i / PLANTS.length) % 900)}`, 40);
}

/** Superordinate equipment in the same plant (lower number), or -1. */
export function superiorOf(ctx: Ctx, i: number): number {
  const n = PLANTS.length;
  if (i < 3 * n || unit(ctx.seed, STREAM.equipment, i, 2) >= 0.3) return -1;
  const back = 1 + (hash32(ctx.seed, STREAM.equipment, i, 3) % Math.min(5, Math.floor(i / n)));
  return i - back * n;
}

export function functionalLocation(ctx: Ctx, i: number): { id: string; name: string } {
  const plant = equipmentPlant(i);
  const area = AREAS[hash32(ctx.seed, STREAM.equipment, i, 4) % AREAS.length];
  const unitNo = pad(1 + (hash32(ctx.seed, STREAM.equipment, i, 5) % 9), 2);
  return { id: `${plant.plant}-${area[0]}-${unitNo}`, name: trunc(`${plant.city} ${area[1]} ${unitNo}`, 40) };
}

/** functionalLocation(ctx, i).id, without the name. */
export function functionalLocationId(ctx: Ctx, i: number): string {
  const area = AREAS[hash32(ctx.seed, STREAM.equipment, i, 4) % AREAS.length];
  return `${equipmentPlant(i).plant}-${area[0]}-${pad(1 + (hash32(ctx.seed, STREAM.equipment, i, 5) % 9), 2)}`;
}

/** Which equipment has subordinates: computed once, as the link is stored on the child only. */
export function buildHasSubordinates(ctx: Ctx): Uint8Array {
  const has = new Uint8Array(ctx.scale.equipment);
  for (let i = 0; i < has.length; i++) {
    const s = superiorOf(ctx, i);
    if (s >= 0) has[s] = 1;
  }
  return has;
}

export function equipmentSource(ctx: Ctx, hasSub: Uint8Array): SetSource {
  const n = ctx.scale.equipment;
  return {
    baseCount: n,
    keyOrdered: true,
    fast: {
      Equipment: (i) => equipmentId(i),
      ValidityEndDate: () => END_OF_TIME,
      CreationDate: (i) => dayStart(createdAt(ctx, STREAM.equipment, i, n)),
      MaintenancePlant: (i) => equipmentPlant(i).plant,
    },
    baseLcdt: (i) => changedAt(ctx, STREAM.equipment, i, createdAt(ctx, STREAM.equipment, i, n)),
    gen: (i) => {
      const r = new Rng(ctx.seed, STREAM.equipment, i);
      const plant = equipmentPlant(i);
      const kind = kindOf(ctx, i);
      const [maker, makerCountry] = MANUFACTURERS[r.int(MANUFACTURERS.length)];
      const created = createdAt(ctx, STREAM.equipment, i, n);
      const sup = superiorOf(ctx, i);
      const fl = functionalLocation(ctx, i);
      const onFl = sup < 0 && r.chance(0.8);
      const acquired = dayStart(created - r.range(0, 3000) * 86_400_000);
      return {
        Equipment: equipmentId(i),
        ValidityEndDate: END_OF_TIME,
        ValidityEndTime: 86_399_000,
        EquipmentValidityEndDateTime: END_OF_TIME + 86_399_000,
        ValidityStartDate: dayStart(created),
        EquipmentName: equipmentName(ctx, i),
        EquipmentCategory: 'M',
        TechnicalObjectType: kind.type,
        GrossWeight: r.range(20, 8000),
        GrossWeightUnit: 'KG',
        InventoryNumber: `INV-${pad(i + 1, 7)}`,
        OperationStartDate: acquired + 30 * 86_400_000,
        AcquisitionValue: r.range(2, 400) * 250,
        Currency: plant.company.currency,
        AcquisitionDate: acquired,
        AssetManufacturerName: maker,
        ManufacturerPartTypeName: `${kind.tag}${r.range(100, 999)}`,
        ManufacturerCountry: makerCountry,
        ConstructionYear: String(new Date(acquired).getUTCFullYear()),
        ConstructionMonth: pad(new Date(acquired).getUTCMonth() + 1, 2),
        ManufacturerSerialNumber: `${maker.slice(0, 3).toUpperCase()}${r.range(100000, 999999)}`,
        MaintenancePlant: plant.plant,
        AssetLocation: fl.id.slice(5, 8),
        PlantSection: fl.id.slice(5, 8),
        WorkCenter: r.pick(WORK_CENTERS),
        WorkCenterPlant: plant.plant,
        ABCIndicator: r.pick(['A', 'B', 'C']),
        CompanyCode: plant.company.code,
        CostCenter: `${plant.plant}0${r.range(100, 199)}`.slice(0, 10),
        ControllingArea: plant.company.controllingArea,
        MaintenancePlanningPlant: plant.plant,
        MaintenancePlannerGroup: r.pick(PLANNER_GROUPS),
        MainWorkCenter: r.pick(WORK_CENTERS),
        MainWorkCenterPlant: plant.plant,
        FunctionalLocation: onFl ? fl.id : '',
        FunctionalLocationLabelName: onFl ? fl.id : '',
        FunctionalLocationName: onFl ? fl.name : '',
        SuperordinateEquipment: sup >= 0 ? equipmentId(sup) : '',
        EquipInstallationPositionNmbr: sup >= 0 ? pad(r.range(1, 20), 4) : '',
        CreationDate: dayStart(created),
        CreatedByUser: r.pick(USERS),
        LastChangedByUser: r.pick(USERS),
        MaintObjectInternalID: `IE${pad(i + 10000001, 18)}`,
        EquipUsagePeriodSequenceNumber: '001',
        NextEquipUsagePeriodSqncNmbr: '002',
        EquipmentIsInstalled: onFl || sup >= 0,
        EquipmentIsAvailable: !(onFl || sup >= 0),
        EquipIsAllocToSuperiorEquip: sup >= 0,
        EquipmentIsMarkedForDeletion: r.chance(0.02),
        EquipmentIsInactive: r.chance(0.01),
        EquipHasSubOrdinateEquipment: hasSub[i] ? 'X' : '',
      };
    },
    findBase: (k) => {
      const i = equipmentIndex(ctx, k.Equipment);
      return i >= 0 && k.ValidityEndDate === END_OF_TIME ? i : -1;
    },
  };
}
