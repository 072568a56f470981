import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { text } from '../../domain/report-line.js';
import { actorOf } from '../../http/auth-hook.js';
import { errorResponse } from '../../http/error-response.js';
import type { Services } from '../../services.js';
import { ROLES, SCOPES } from '../../access/index.js';
import type { AdminService } from './admin.service.js';

const id = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
const userParams = z.strictObject({ id });
const tokenParams = z.strictObject({ id, tokenId: id });
const user = z.object({
  id: z.number(),
  email: z.string(),
  role: z.string(),
  organization: z.string(),
  sectors: z.array(z.string()),
  mfa_enabled: z.boolean(),
  locked: z.boolean(),
  disabled: z.boolean(),
  created_at: z.string(),
});
const token = z.object({
  id: z.number(),
  label: z.string(),
  scopes: z.array(z.string()),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse,
};
const config = { policy: 'admin:users' as const };
const tags = ['admin'];

/** Organisations, users, roles and tokens (admins only; the CLI's `kyoyu admin` does the same). */
export function adminRoutes(services: Services): FastifyPluginAsyncZod {
  const admin: AdminService = services.admin;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/admin/organizations', {
      config,
      schema: {
        tags,
        summary: 'Organisations',
        response: {
          200: z.array(
            z.object({
              id: z.number(),
              name: z.string(),
              sector: z.string().nullable(),
              created_at: z.string(),
            }),
          ),
          ...errors,
        },
      },
      handler: () => admin.organizations(),
    });

    app.get('/admin/users', {
      config,
      schema: {
        tags,
        summary: 'Users with role, organisation and sign-in state',
        response: { 200: z.array(user), ...errors },
      },
      handler: () => admin.users(),
    });

    app.post('/admin/users', {
      config,
      schema: {
        tags,
        summary: 'Create a user (then reset its password to hand one over)',
        body: z.strictObject({
          email: text(320),
          organization: text(200).min(1).describe('created if new'),
          role: z.enum(ROLES),
          sectors: z.array(z.string().max(64)).max(50).optional().describe('sectors a sector desk reads'),
        }),
        response: { 201: z.object({ id: z.number() }), ...errors },
      },
      handler: async (request, reply) =>
        reply.status(201).send(await admin.createUser(actorOf(request), request.body)),
    });

    app.post('/admin/users/:id/password-reset', {
      config,
      schema: {
        tags,
        summary: "Set a generated temporary password (shown once); ends the user's sessions",
        params: userParams,
        response: { 200: z.object({ temporary_password: z.string() }), ...errors },
      },
      handler: async (request) => ({
        temporary_password: await admin.resetPassword(actorOf(request), request.params.id),
      }),
    });

    for (const [path, summary, act] of [
      ['mfa-reset', 'Remove the second factor (set up again at the next sign-in)', 'resetMfa'],
      ['unlock', 'Lift a lockout after failed sign-ins', 'unlock'],
    ] as const) {
      app.post(`/admin/users/:id/${path}`, {
        config,
        schema: { tags, summary, params: userParams, response: { 204: z.null(), ...errors } },
        handler: async (request, reply) => {
          await admin[act](actorOf(request), request.params.id);
          return reply.status(204).send(null);
        },
      });
    }

    app.put('/admin/users/:id/disabled', {
      config,
      schema: {
        tags,
        summary: 'Disable (or enable again) a user: no sign-in, no token, sessions end',
        params: userParams,
        body: z.strictObject({ disabled: z.boolean() }),
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await admin.setDisabled(actorOf(request), request.params.id, request.body.disabled);
        return reply.status(204).send(null);
      },
    });

    app.get('/admin/users/:id/tokens', {
      config,
      schema: {
        tags,
        summary: "A user's API tokens (never the tokens themselves)",
        params: userParams,
        response: { 200: z.array(token), ...errors },
      },
      handler: (request) => admin.tokens(request.params.id),
    });

    app.post('/admin/users/:id/tokens', {
      config,
      schema: {
        tags,
        summary: 'Issue an API token (shown once, stored hashed)',
        params: userParams,
        body: z.strictObject({
          label: text(100).min(1).default('api'),
          scopes: z
            .array(z.enum(SCOPES))
            .min(1)
            .max(SCOPES.length)
            .optional()
            .describe('default: all the role has'),
          expires_in_days: z
            .number()
            .int()
            .min(1)
            .max(3650)
            .nullable()
            .optional()
            .describe('default 90; null: never'),
        }),
        response: { 201: z.object({ token: z.string() }), ...errors },
      },
      handler: async (request, reply) => {
        const { label, scopes, expires_in_days } = request.body;
        const created = await admin.createToken(actorOf(request), request.params.id, {
          label,
          ...(scopes ? { scopes } : {}),
          ...(expires_in_days !== undefined ? { expiresInDays: expires_in_days } : {}),
        });
        return reply.status(201).send({ token: created });
      },
    });

    app.delete('/admin/users/:id/tokens/:tokenId', {
      config,
      schema: {
        tags,
        summary: 'Revoke a token',
        params: tokenParams,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await admin.revokeToken(actorOf(request), request.params.id, request.params.tokenId);
        return reply.status(204).send(null);
      },
    });
  };
}
