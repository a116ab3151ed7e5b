import { z } from 'zod';

export const isoDateTime = () => z.string().describe('ISO 8601 date-time (UTC)');
export const isoDate = () => z.string().describe('Calendar date, YYYY-MM-DD');
export const ref = (what: string) => z.string().nullable().describe(`Ironbridge id of the ${what}`);
export const text = (d: string) => z.string().nullable().describe(d);
export const num = (d: string) => z.number().nullable().describe(d);
export const date = (d: string) => isoDate().nullable().describe(d);
export const dateTime = (d: string) => isoDateTime().nullable().describe(d);
export const oneOf = <T extends readonly [string, ...string[]]>(values: T, d: string) =>
  z.enum(values).nullable().describe(d);

export const Address = z
  .object({
    street: text('Street and number'),
    city: text('City'),
    postal_code: text('Postal code'),
    region: text('Region, state or province'),
    country: text('Country, ISO 3166-1 alpha-2 where the source has it'),
  })
  .partial()
  .meta({ id: 'Address' });

/** Fields every unified record carries, whatever the entity. */
export const commonFields = {
  id: z.string().describe('Ironbridge id, stable for the life of the connection'),
  remote_id: z.string().describe("The record's id in the source system"),
  created_at: isoDateTime().describe('When Ironbridge first stored the record'),
  modified_at: isoDateTime().describe('When Ironbridge last saw the record change'),
  remote_created_at: dateTime('Creation time in the source system'),
  remote_updated_at: dateTime('Last change time in the source system'),
  remote_deleted: z.boolean().describe('The record was deleted in the source (kept, flagged)'),
  custom_fields: z.record(z.string(), z.unknown()).describe('Fields added by per-connection field mappings'),
  remote_data: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The raw source record; only with include_remote_data=true'),
  warnings: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .describe('Fields whose mapping failed on this record (their value is null)'),
};
