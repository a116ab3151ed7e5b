// Background work of the worker role. The sync engine plugs in here.
import type { RoleHooks } from './server.ts';

export const workerHooks: RoleHooks = {};
