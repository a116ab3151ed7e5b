import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { registerConnectionRoutes } from './connections.ts';
import { registerMetaRoutes } from './meta.ts';
import { registerSystemRoutes } from './systems.ts';
import { registerSyncRoutes } from './sync.ts';
import { registerUnifiedRoutes } from './unified.ts';
import { registerFieldMappingRoutes } from './field-mappings.ts';
import { registerPassthroughRoutes } from './passthrough.ts';
import { registerCustomObjectRoutes } from './custom-objects.ts';

export async function registerRoutes(app: FastifyInstance, ctx: AppContext) {
  registerMetaRoutes(app, ctx);
  registerSystemRoutes(app, ctx);
  registerConnectionRoutes(app, ctx);
  registerSyncRoutes(app, ctx);
  registerUnifiedRoutes(app, ctx);
  registerFieldMappingRoutes(app, ctx);
  registerPassthroughRoutes(app, ctx);
  registerCustomObjectRoutes(app, ctx);
}
