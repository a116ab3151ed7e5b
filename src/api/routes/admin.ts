// Loopback-only endpoints through which CLI commands reach an embedded database that a running
// server holds open (PGlite admits one process). Authenticated by the per-start secret in the lock file.
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { createSecretKey } from '../../accounts/index.ts';
import { ApiError } from '../../core/errors.ts';
import type { AppContext } from '../../context.ts';
import { defineRoute } from '../route.ts';

export function registerAdminRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  adminSecret: string,
  onRotate: () => Promise<object>,
) {
  const guard = (req: { headers: Record<string, unknown>; ip: string }) => {
    const given = Buffer.from(String(req.headers['x-ironbridge-admin'] ?? ''));
    const want = Buffer.from(adminSecret);
    const loopback = req.ip === '127.0.0.1' || req.ip === '::1' || req.ip === '::ffff:127.0.0.1';
    if (!loopback || given.length !== want.length || !timingSafeEqual(given, want)) {
      throw new ApiError('AUTHENTICATION_FAILED', 'Admin endpoints take the local admin secret');
    }
  };
  defineRoute(app, {
    method: 'POST',
    url: '/internal/admin/keys',
    auth: 'none',
    hidden: true,
    tag: 'Admin',
    summary: 'Create a secret key (CLI)',
    body: z.object({ environment: z.enum(['sandbox', 'production']), name: z.string().optional() }),
    responses: { 201: { description: 'Created' } },
    handler: async ({ body, req }) => {
      guard(req);
      return { key: await createSecretKey(ctx.db, body.environment, body.name) };
    },
  });
  defineRoute(app, {
    method: 'POST',
    url: '/internal/admin/rotate-encryption',
    auth: 'none',
    hidden: true,
    tag: 'Admin',
    summary: 'Rotate the credential encryption key (CLI)',
    responses: { 200: { description: 'Rotated' } },
    handler: async ({ req }) => {
      guard(req);
      return onRotate();
    },
  });
}
