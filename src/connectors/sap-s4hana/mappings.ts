// Default unified mappings of SAP S/4HANA, as data in the mapping language (src/mappings/README.md).
// Status rules that are not a lookup live in mapping-functions.ts (sap_*).
import type { EntityMapping } from '../../mappings/types.ts';
import type { EntityName } from '../types.ts';

/** Plant, or Plant/StorageLocation when the record names one: the remote ids of `locations`. */
const LOCATION = `ref('locations', coalesce(ref_key(Plant, StorageLocation), Plant))`;

export const mappings: Partial<Record<EntityName, EntityMapping>> = {
  purchase_orders: {
    fields: {
      number: 'PurchaseOrder',
      status: 'sap_po_status($)',
      vendor_id: `ref('vendors', Supplier)`,
      order_date: 'date(PurchaseOrderDate)',
      // The header has no requested date; the earliest schedule line is what the buyer asked for.
      required_date: 'sap_earliest_delivery(to_PurchaseOrderItem)',
      delivery_date: 'sap_earliest_delivery(to_PurchaseOrderItem)',
      currency: 'trim(DocumentCurrency)',
      total_amount: 'sap_po_total(to_PurchaseOrderItem)',
      payment_terms: 'trim(PaymentTerms)',
      // The header has no ship-to; the first item's delivery address stands for the order.
      ship_to: `if(first(results(to_PurchaseOrderItem)).DeliveryAddressCityName, {
        "street": join(' ', first(results(to_PurchaseOrderItem)).DeliveryAddressStreetName, first(results(to_PurchaseOrderItem)).DeliveryAddressHouseNumber),
        "city": first(results(to_PurchaseOrderItem)).DeliveryAddressCityName,
        "postal_code": first(results(to_PurchaseOrderItem)).DeliveryAddressPostalCode,
        "region": first(results(to_PurchaseOrderItem)).DeliveryAddressRegion,
        "country": first(results(to_PurchaseOrderItem)).DeliveryAddressCountry
      }, null)`,
      // The company code's address is not part of the purchase order API.
      bill_to: 'null',
      buyer: 'trim(PurchasingGroup)',
      notes: 'null',
      lines: {
        each: 'results(to_PurchaseOrderItem)',
        fields: {
          line_number: 'int(PurchaseOrderItem)',
          item_id: `ref('items', Material)`,
          item_code: 'trim(Material)',
          description: 'trim(PurchaseOrderItemText)',
          quantity: 'number(OrderQuantity)',
          unit_of_measure: 'trim(PurchaseOrderQuantityUnit)',
          unit_price: 'sap_unit_price(NetPriceAmount, NetPriceQuantity)',
          amount: 'sap_line_amount(OrderQuantity, NetPriceAmount, NetPriceQuantity)',
          delivery_date: 'sap_earliest_delivery(to_ScheduleLine)',
          // The PO API carries no goods-receipt history; only "delivery completed" is known.
          received_quantity: 'if(bool(IsCompletelyDelivered), number(OrderQuantity), null)',
          location_id: LOCATION,
        },
      },
    },
  },

  work_orders: {
    fields: {
      number: 'MaintenanceOrder',
      title: 'trim(MaintenanceOrderDesc)',
      description: 'null',
      status: 'sap_wo_status(SystemStatusText, MainWorkCompletedDateTime)',
      priority: `map(MaintPriority, {"1": "URGENT", "2": "HIGH", "3": "MEDIUM", "4": "LOW"})`,
      type: `map(MaintenanceOrderType, {"PM01": "CORRECTIVE", "PM02": "PREVENTIVE", "PM03": "OTHER", "PM05": "INSPECTION"}, "OTHER")`,
      asset_id: `ref('assets', Equipment)`,
      location_id: `ref('locations', coalesce(MaintenancePlant, MaintenancePlanningPlant))`,
      assigned_to: 'coalesce(MaintOrdPersonResponsible, MainWorkCenter)',
      requested_by: 'trim(CreatedByUser)',
      scheduled_start: 'datetime(coalesce(MaintOrdSchedldBscStrtDateTime, MaintOrdBasicStartDateTime))',
      scheduled_end: 'datetime(coalesce(MaintOrdSchedldBscEndDateTime, MaintOrdBasicEndDateTime))',
      actual_start: `sap_wo_actual(to_MaintenanceOrderOperation, 'start')`,
      actual_end: `sap_wo_actual(to_MaintenanceOrderOperation, 'end')`,
      due_date: 'date(coalesce(LatestAcceptableCompletionDate, MaintOrdBasicEndDateTime))',
      estimated_hours: `sap_wo_hours(to_MaintenanceOrderOperation, 'planned')`,
      actual_hours: `sap_wo_hours(to_MaintenanceOrderOperation, 'actual')`,
      failure_code: 'null',
      parts: {
        each: 'sap_wo_components($)',
        fields: {
          item_id: `ref('items', Product)`,
          quantity: 'number(MaintOrdOpCompRequiredQuantity)',
          unit_of_measure: 'trim(BaseUnit)',
        },
      },
    },
  },

  assets: {
    fields: {
      tag: 'coalesce(TechnicalObjectSortCode, Equipment)',
      name: 'trim(EquipmentName)',
      description: 'null',
      status: 'sap_asset_status($)',
      category: 'coalesce(TechnicalObjectType, EquipmentCategory)',
      location_id: `ref('locations', coalesce(MaintenancePlant, MaintenancePlanningPlant))`,
      parent_id: `ref('assets', SuperordinateEquipment)`,
      manufacturer: 'trim(AssetManufacturerName)',
      model: 'trim(ManufacturerPartTypeName)',
      serial_number: 'coalesce(ManufacturerSerialNumber, SerialNumber)',
      install_date: 'date(OperationStartDate)',
      criticality: 'trim(ABCIndicator)',
      purchase_cost: 'number(AcquisitionValue)',
    },
  },

  items: {
    fields: {
      code: 'Product',
      name: `sap_text(to_Description, 'EN')`,
      description: `sap_text(to_Description, 'EN')`,
      type: `map(ProductType, {"ERSA": "SPARE_PART", "ROH": "MATERIAL", "HALB": "MATERIAL", "HIBE": "MATERIAL", "VERP": "MATERIAL", "NLAG": "MATERIAL", "UNBW": "MATERIAL", "FERT": "PRODUCT", "HAWA": "PRODUCT", "DIEN": "SERVICE", "SERV": "SERVICE"})`,
      unit_of_measure: 'trim(BaseUnit)',
      unit_cost: 'null',
      currency: 'null',
      manufacturer: 'trim(ManufacturerNumber)',
      manufacturer_part_number: 'trim(ProductManufacturerNumber)',
    },
  },

  inventory: {
    fields: {
      item_id: `ref('items', Material)`,
      location_id: LOCATION,
      quantity_on_hand: 'number(MatlWrhsStkQtyInMatlBaseUnit)',
      quantity_reserved: 'null',
      // Stock type 01 is unrestricted-use stock; quality-inspection, blocked etc. are on hand but not available.
      quantity_available: `if(InventoryStockType = '01', number(MatlWrhsStkQtyInMatlBaseUnit), 0)`,
      reorder_point: 'null',
      unit_of_measure: 'trim(MaterialBaseUnit)',
      bin: 'null',
    },
  },

  vendors: {
    fields: {
      code: 'Supplier',
      name: 'coalesce(SupplierName, SupplierFullName)',
      status: 'sap_vendor_status($)',
      tax_id: 'coalesce(VATRegistration, TaxNumber1, TaxNumberResponsible)',
      email: 'null',
      phone: 'trim(first(results(to_SupplierPurchasingOrg)).SupplierPhoneNumber)',
      address: 'null',
      currency: 'trim(first(results(to_SupplierPurchasingOrg)).PurchaseOrderCurrency)',
      payment_terms: 'trim(first(results(to_SupplierPurchasingOrg)).PaymentTerms)',
    },
  },

  locations: {
    fields: {
      code: 'coalesce(ref_key(Plant, StorageLocation), Plant)',
      name: `coalesce(PlantName, join(' ', 'Storage location', StorageLocation, 'of plant', Plant))`,
      type: `if(StorageLocation, 'STOREROOM', 'PLANT')`,
      parent_id: `if(StorageLocation, ref('locations', Plant), null)`,
      address: 'null',
    },
  },
};
