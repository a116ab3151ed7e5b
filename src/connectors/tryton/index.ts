// Tryton ERP (6.0+) over its JSON-RPC API: purchases (read, draft writes, quote/confirm/cancel),
// suppliers, products, stock levels, stock locations and fixed assets. See README.md.
import { z } from 'zod';
import type { ConnectionConfig, Connector } from '../types.ts';
import { TRYTON_DESCRIPTOR } from './descriptor.ts';
import { TRYTON_MAPPING_FUNCTIONS } from './mapping-functions.ts';
import { TRYTON_MAPPINGS } from './mappings.ts';
import { TrytonSession } from './session.ts';

export const trytonCredentialsSchema = z.object({
  database: z.string().min(1).describe('Name of the Tryton database'),
  username: z.string().min(1).describe('Tryton user login'),
  password: z.string().min(1).describe('Password of the Tryton user'),
});

export const tryton: Connector = {
  descriptor: TRYTON_DESCRIPTOR,
  credentialsSchema: trytonCredentialsSchema,
  mappings: TRYTON_MAPPINGS,
  mappingFunctions: TRYTON_MAPPING_FUNCTIONS,
  open(config: ConnectionConfig) {
    return new TrytonSession(config);
  },
};
