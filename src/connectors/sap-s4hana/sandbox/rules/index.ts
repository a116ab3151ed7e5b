// Business rules per served entity set.
import type { SetRules } from './common.ts';
import { purchaseOrderItemRules, purchaseOrderRules } from './purchasing.ts';
import { componentRules, equipmentRules, maintenanceOrderRules, operationRules } from './maintenance.ts';
import { descriptionRules, productPlantRules, productRules, productSlocRules } from './master.ts';

export const RULES: Record<string, SetRules> = {
  A_PurchaseOrder: purchaseOrderRules,
  A_PurchaseOrderItem: purchaseOrderItemRules,
  MaintenanceOrder: maintenanceOrderRules,
  MaintenanceOrderOperation: operationRules,
  MaintOrderOpComponent: componentRules,
  Equipment: equipmentRules,
  A_Product: productRules,
  A_ProductDescription: descriptionRules,
  A_ProductPlant: productPlantRules,
  A_ProductStorageLocation: productSlocRules,
};

export type { SetRules, WriteCtx } from './common.ts';
