// Custom objects: source entities outside the unified model, declared per connection in
// settings.custom_objects, synced like unified entities (as `custom:<name>`) and served raw plus
// their own mapped fields at /v1/custom-objects/{name}.
import { z } from 'zod';
import { ApiError } from '../core/errors.ts';
import type { Connector, CustomObjectDef, EntityCapability } from '../connectors/types.ts';

export const CUSTOM_PREFIX = 'custom:';
export const isCustom = (entity: string) => entity.startsWith(CUSTOM_PREFIX);
export const customEntity = (name: string) => CUSTOM_PREFIX + name;

export const CustomObjectSchema = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _, starting with a letter'),
    source: z
      .string()
      .min(1)
      .max(300)
      .describe("The source entity in the system's terms, e.g. API_PRODUCT_SRV/A_ProductPlant"),
    keys: z.array(z.string().min(1)).max(20).optional(),
    change_field: z.string().min(1).nullable().optional(),
  })
  .meta({ id: 'CustomObject' });

export function declaredObjects(settings: Record<string, unknown> | null | undefined): CustomObjectDef[] {
  const list = settings?.custom_objects;
  return Array.isArray(list) ? (list as CustomObjectDef[]) : [];
}

export function findObject(
  settings: Record<string, unknown> | null | undefined,
  name: string,
): CustomObjectDef | null {
  return declaredObjects(settings).find((d) => d.name === name) ?? null;
}

/** Validates settings.custom_objects against the system; throws a 400 naming the bad entry. */
export function checkCustomObjects(
  connector: Connector,
  settings: Record<string, unknown> | undefined,
): void {
  const raw = settings?.custom_objects;
  if (raw === undefined) return;
  const parsed = z.array(CustomObjectSchema).max(50).safeParse(raw);
  const fail = (field: string, message: string): never => {
    throw new ApiError('VALIDATION_FAILED', `settings.custom_objects: ${message}`, {
      details: [{ field, message }],
    });
  };
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    fail(['settings', 'custom_objects', ...i.path].join('.'), i.message);
  }
  const defs = parsed.data!;
  const names = new Set<string>();
  defs.forEach((def, i) => {
    if (names.has(def.name)) fail(`settings.custom_objects.${i}.name`, `"${def.name}" is declared twice`);
    names.add(def.name);
    if (!connector.validateCustomObject)
      fail(`settings.custom_objects`, `${connector.descriptor.name} has no custom objects`);
    const problem = connector.validateCustomObject!(def);
    if (problem) fail(`settings.custom_objects.${i}.source`, problem);
  });
}

export function customCapability(def: CustomObjectDef): EntityCapability {
  return {
    read: true,
    create: false,
    update: false,
    delete: false,
    incremental: Boolean(def.change_field),
    delete_detection: 'reconciliation',
    kind: 'reference',
  };
}
