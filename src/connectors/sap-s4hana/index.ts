// SAP S/4HANA over its released OData v2 APIs (API_PURCHASEORDER_PROCESS_SRV, API_MAINTENANCEORDER,
// API_EQUIPMENT, API_PRODUCT_SRV, API_MATERIAL_STOCK_SRV, API_BUSINESS_PARTNER, API_PLANT_SRV).
import type { Connector } from '../types.ts';
import { credentialsSchema } from './credentials.ts';
import { descriptor } from './descriptor.ts';
import { mappingFunctionReads, mappingFunctions } from './mapping-functions.ts';
import { mappings } from './mappings.ts';
import { SapSession } from './session.ts';
import { validateSapCustomObject } from './custom-objects.ts';

export const sapS4hana: Connector = {
  descriptor,
  credentialsSchema,
  mappings,
  mappingFunctions,
  mappingFunctionReads,
  validateCustomObject: validateSapCustomObject,
  open: (config) => new SapSession(config),
};

export default sapS4hana;
