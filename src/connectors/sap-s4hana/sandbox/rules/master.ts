// Product master rules (A_Product and its descriptions, plant and storage location data).
import { exists, parentOf, refuse, required, type SetRules } from './common.ts';

const PRODUCT_TYPES = ['ERSA', 'ROH', 'HAWA', 'DIEN', 'FERT', 'HALB', 'NLAG'];

export const productRules: SetRules = {
  create(c, rec) {
    required(rec, ['Product', 'ProductType', 'BaseUnit'], 'M3/021');
    if (!/^[A-Z0-9][A-Z0-9_\-./]*$/.test(String(rec.Product))) {
      throw refuse('M3/022', `Product number ${rec.Product} contains invalid characters`, 'Product');
    }
    if (!PRODUCT_TYPES.includes(String(rec.ProductType))) {
      throw refuse('M3/023', `Product type ${rec.ProductType} is not defined`, 'ProductType');
    }
    Object.assign(rec, {
      CreationDate: c.stamp - (c.stamp % 86_400_000),
      CreatedByUser: c.user,
      LastChangedByUser: c.user,
      IsMarkedForDeletion: rec.IsMarkedForDeletion ?? false,
    });
  },
  update(c, _i, _current, patch) {
    patch.LastChangedByUser = c.user;
  },
};

const needsProduct: SetRules['create'] = (c, rec) => {
  if (!exists(c.world, 'A_Product', { Product: rec.Product })) {
    throw refuse('M3/305', `Product ${rec.Product} does not exist`, 'Product');
  }
};

export const descriptionRules: SetRules = {
  create(c, rec, children) {
    needsProduct(c, rec, children);
    required(rec, ['Language'], 'M3/021');
    if (!/^[A-Z]{2}$/.test(String(rec.Language)))
      throw refuse('M3/024', `Language ${rec.Language} is not defined`, 'Language');
  },
};

export const productPlantRules: SetRules = {
  create(c, rec, children) {
    needsProduct(c, rec, children);
    required(rec, ['Plant'], 'M3/021');
    if (!exists(c.world, 'A_Plant', { Plant: rec.Plant }))
      throw refuse('M3/025', `Plant ${rec.Plant} does not exist`, 'Plant');
  },
};

export const productSlocRules: SetRules = {
  create(c, rec) {
    required(rec, ['StorageLocation'], 'M3/021');
    if (!parentOf(c.world, 'A_ProductStorageLocation', rec)) {
      throw refuse('M3/306', `Product ${rec.Product} is not maintained in plant ${rec.Plant}`, 'Plant');
    }
  },
};
