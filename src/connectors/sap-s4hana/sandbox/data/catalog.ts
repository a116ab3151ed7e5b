// Fixed vocabulary of the seed data: organisation (company codes, plants, storage locations) and
// the word lists record texts are drawn from. Invented for the sandbox; values follow SAP formats.

export interface CompanyCode {
  code: string;
  name: string;
  currency: string;
  country: string;
  controllingArea: string;
  purchasingOrganization: string;
}

export const COMPANY_CODES: readonly CompanyCode[] = [
  {
    code: '1010',
    name: 'Ironbridge Industrie GmbH',
    currency: 'EUR',
    country: 'DE',
    controllingArea: 'A000',
    purchasingOrganization: '1010',
  },
  {
    code: '1710',
    name: 'Ironbridge Manufacturing',
    currency: 'USD',
    country: 'US',
    controllingArea: 'A000',
    purchasingOrganization: '1710',
  },
  {
    code: '2010',
    name: 'Ironbridge UK Ltd',
    currency: 'GBP',
    country: 'GB',
    controllingArea: 'A000',
    purchasingOrganization: '2010',
  },
];

export interface PlantDef {
  plant: string;
  name: string;
  city: string;
  company: CompanyCode;
  storageLocations: string[];
}

const plant = (code: string, name: string, city: string, cc: number): PlantDef => ({
  plant: code,
  name,
  city,
  company: COMPANY_CODES[cc],
  // Gateway demo systems name storage locations after the plant: 101A, 101B...
  storageLocations: ['A', 'B', 'C', 'S'].map((s) => `${code.slice(0, 3)}${s}`),
});

export const PLANTS: readonly PlantDef[] = [
  plant('1010', 'Hamburg Plant', 'Hamburg', 0),
  plant('1020', 'Bremen Plant', 'Bremen', 0),
  plant('1030', 'Dresden Plant', 'Dresden', 0),
  plant('1710', 'Houston Plant', 'Houston', 1),
  plant('1720', 'Chicago Plant', 'Chicago', 1),
  plant('1730', 'Pittsburgh Plant', 'Pittsburgh', 1),
  plant('2010', 'Sheffield Plant', 'Sheffield', 2),
  plant('2020', 'Glasgow Plant', 'Glasgow', 2),
];

export const USERS = ['JSMITH', 'MMUELLER', 'AGARCIA', 'LCHEN', 'PLANNER01', 'CB9980000012'] as const;
export const WORK_CENTERS = ['MECH-A', 'MECH-B', 'ELEC-A', 'INST-A', 'LUBE-A'] as const;
export const PLANNER_GROUPS = ['001', '002', '003'] as const;

export type ProductType = 'ERSA' | 'ROH' | 'HAWA' | 'DIEN';
/** Weighted: spare parts dominate a maintenance-heavy material master. */
export const PRODUCT_TYPE_WHEEL: readonly ProductType[] = [
  'ERSA',
  'ERSA',
  'ERSA',
  'ERSA',
  'ROH',
  'ROH',
  'ROH',
  'HAWA',
  'HAWA',
  'DIEN',
];
export const PRODUCT_PREFIX: Record<ProductType, string> = { ERSA: 'SP', ROH: 'RM', HAWA: 'TG', DIEN: 'SV' };

/** [English, German] descriptions per product type. */
export const PRODUCT_TEXTS: Record<ProductType, readonly (readonly [string, string])[]> = {
  ERSA: [
    ['Ball bearing', 'Kugellager'],
    ['Cylindrical roller bearing', 'Zylinderrollenlager'],
    ['Mechanical seal', 'Gleitringdichtung'],
    ['V-belt', 'Keilriemen'],
    ['Coupling element', 'Kupplungselement'],
    ['Pump impeller', 'Pumpenlaufrad'],
    ['Gasket set', 'Dichtungssatz'],
    ['Hydraulic filter element', 'Hydraulikfilterelement'],
    ['Air filter cartridge', 'Luftfilterpatrone'],
    ['Shaft sleeve', 'Wellenschutzhülse'],
    ['Proximity sensor', 'Näherungsschalter'],
    ['Pressure transmitter', 'Druckmessumformer'],
    ['Solenoid valve', 'Magnetventil'],
    ['Motor contactor', 'Motorschütz'],
    ['Roller chain', 'Rollenkette'],
    ['O-ring kit', 'O-Ring-Satz'],
  ],
  ROH: [
    ['Steel sheet 2 mm', 'Stahlblech 2 mm'],
    ['Copper wire 1.5 mm2', 'Kupferdraht 1,5 mm2'],
    ['Hydraulic oil HLP 46', 'Hydrauliköl HLP 46'],
    ['Lubricating grease EP2', 'Schmierfett EP2'],
    ['Welding rod E6013', 'Schweißelektrode E6013'],
    ['Stainless tube 25x2', 'Edelstahlrohr 25x2'],
    ['Aluminium profile 40x40', 'Aluminiumprofil 40x40'],
    ['Paint RAL 5010', 'Lack RAL 5010'],
  ],
  HAWA: [
    ['Safety gloves', 'Schutzhandschuhe'],
    ['Safety goggles', 'Schutzbrille'],
    ['Cable ties 200 mm', 'Kabelbinder 200 mm'],
    ['Ear protection', 'Gehörschutz'],
    ['LED work light', 'LED-Arbeitsleuchte'],
    ['Torque wrench', 'Drehmomentschlüssel'],
    ['Spray lubricant', 'Sprühschmiermittel'],
    ['Absorbent pads', 'Saugmatten'],
  ],
  DIEN: [
    ['Vibration analysis service', 'Schwingungsanalyse'],
    ['Crane inspection service', 'Kranprüfung'],
    ['Calibration service', 'Kalibrierdienst'],
    ['Thermography inspection', 'Thermografieprüfung'],
    ['Pump overhaul service', 'Pumpenüberholung'],
    ['Electrical safety test', 'Elektroprüfung'],
  ],
};

export const PRODUCT_UNITS: Record<ProductType, readonly string[]> = {
  ERSA: ['PC'],
  ROH: ['KG', 'L', 'M'],
  HAWA: ['PC', 'PAK'],
  DIEN: ['AU'],
};

export const EQUIPMENT_KINDS = [
  { type: 'PUMP', name: 'Centrifugal pump', tag: 'P' },
  { type: 'MOTOR', name: 'Electric motor', tag: 'M' },
  { type: 'COMPR', name: 'Screw compressor', tag: 'K' },
  { type: 'CONVEYOR', name: 'Belt conveyor', tag: 'C' },
  { type: 'VALVE', name: 'Control valve', tag: 'V' },
  { type: 'HEATEXCH', name: 'Heat exchanger', tag: 'E' },
  { type: 'FAN', name: 'Exhaust fan', tag: 'F' },
  { type: 'GEARBOX', name: 'Gearbox', tag: 'G' },
  { type: 'CRANE', name: 'Overhead crane', tag: 'CR' },
  { type: 'TRANSF', name: 'Transformer', tag: 'T' },
] as const;

export const MANUFACTURERS = [
  ['KSB', 'DE'],
  ['Grundfos', 'DK'],
  ['Siemens', 'DE'],
  ['ABB', 'CH'],
  ['Atlas Copco', 'SE'],
  ['SEW-Eurodrive', 'DE'],
  ['Flowserve', 'US'],
  ['Alfa Laval', 'SE'],
  ['Demag', 'DE'],
  ['Emerson', 'US'],
] as const;

export const AREAS = [
  ['PRD', 'Production'],
  ['UTL', 'Utilities'],
  ['PKG', 'Packaging'],
  ['WWT', 'Waste water'],
] as const;

export const ORDER_TYPES = ['PM01', 'PM02', 'PM03'] as const;
export const ORDER_TEXTS: Record<(typeof ORDER_TYPES)[number], readonly string[]> = {
  PM01: [
    'Repair leak on',
    'Replace bearing on',
    'Fix vibration on',
    'Replace seal on',
    'Troubleshoot fault on',
  ],
  PM02: ['Monthly inspection', 'Quarterly service', 'Annual overhaul', 'Lubrication round', 'Filter change'],
  PM03: ['Refurbish', 'Rebuild', 'Overhaul in workshop'],
};
export const ACTIVITY_TYPES: Record<(typeof ORDER_TYPES)[number], string> = {
  PM01: '002',
  PM02: '001',
  PM03: '004',
};

export const OPERATION_TEXTS = [
  'Isolate and lock out equipment',
  'Disassemble and inspect',
  'Replace worn parts',
  'Reassemble and align',
  'Test run and hand over',
  'Lubricate bearings',
  'Check electrical connections',
  'Measure vibration levels',
] as const;

export const SUPPLIER_WORDS = {
  first: [
    'Rhein',
    'Nordic',
    'Atlas',
    'Baltic',
    'Summit',
    'Delta',
    'Pioneer',
    'Alpine',
    'Coastal',
    'Keystone',
    'Granite',
    'Hanse',
    'Thames',
    'Pennine',
  ],
  second: [
    'Industrial Supply',
    'Bearings',
    'Hydraulics',
    'Electric',
    'Maintenance Services',
    'Tools',
    'Automation',
    'Steel',
    'Components',
    'Filtration',
  ],
  suffix: { DE: 'GmbH', US: 'Inc.', GB: 'Ltd' } as Record<string, string>,
};
