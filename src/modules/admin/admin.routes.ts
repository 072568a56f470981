import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import {
  createdUser,
  createUserBody,
  disabledBody,
  errors,
  organization,
  pendingAnswer,
  roleBody,
  temporaryPassword,
  token,
  tokenParams,
  user,
  userParams,
} from './admin.schema.js';
import type { AdminService } from './admin.service.js';
import { isPending } from './admin.service.js';

const config = { policy: 'admin:users' as const };
const tags = ['admin'];

/**
 * Organisations, users, roles and others' tokens (admins only; the CLI's `kyoyu admin` does the
 * same on the server). Admins issue no tokens for others: users issue their own (/me/tokens).
 * A change that grants or resets the center's or an admin's access answers 202 with a request
 * that a second admin approves (the two-person rule).
 */
export function adminRoutes(services: { admin: AdminService }): FastifyPluginAsyncZod {
  const admin: AdminService = services.admin;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/admin/organizations', {
      config,
      schema: {
        tags,
        summary: 'Organisations',
        response: {
          200: z.array(organization),
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
        summary:
          'Create a user (then reset its password to hand one over); a center analyst or admin needs a second admin (202)',
        body: createUserBody,
        response: { 201: createdUser, 202: pendingAnswer, ...errors },
      },
      handler: async (request, reply) => {
        const created = await admin.createUser(actorOf(request), request.body);
        if (isPending(created)) return reply.status(202).send({ approval: created.pending });
        return reply.status(201).send(created);
      },
    });

    app.put('/admin/users/:id/role', {
      config,
      schema: {
        tags,
        summary: "Change a user's role; to center analyst or admin only with a second admin (202)",
        params: userParams,
        body: roleBody,
        response: { 202: pendingAnswer, 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        const { role, sectors } = request.body;
        const pending = await admin.setRole(actorOf(request), request.params.id, role, sectors);
        if (pending) return reply.status(202).send({ approval: pending.pending });
        return reply.status(204).send(null);
      },
    });

    app.post('/admin/users/:id/password-reset', {
      config,
      schema: {
        tags,
        summary:
          "Set a generated temporary password (shown once, changed at the next sign-in); ends the user's sessions. For a center analyst or admin: a request (202), the approver gets the password",
        params: userParams,
        response: { 200: temporaryPassword, 202: pendingAnswer, ...errors },
      },
      handler: async (request, reply) => {
        const reset = await admin.resetPassword(actorOf(request), request.params.id);
        if (isPending(reset)) return reply.status(202).send({ approval: reset.pending });
        return reply.status(200).send({ temporary_password: reset });
      },
    });

    app.post('/admin/users/:id/mfa-reset', {
      config,
      schema: {
        tags,
        summary:
          'Remove the second factor (set up again at the next sign-in); for a center analyst or admin a request (202)',
        params: userParams,
        response: { 202: pendingAnswer, 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        const pending = await admin.resetMfa(actorOf(request), request.params.id);
        if (pending) return reply.status(202).send({ approval: pending.pending });
        return reply.status(204).send(null);
      },
    });

    app.post('/admin/users/:id/unlock', {
      config,
      schema: {
        tags,
        summary: 'Lift a lockout after failed sign-ins',
        params: userParams,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        await admin.unlock(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    });

    app.put('/admin/users/:id/disabled', {
      config,
      schema: {
        tags,
        summary:
          'Disable (or enable again) a user: no sign-in, sessions end, tokens revoked for good (enabling revives none)',
        params: userParams,
        body: disabledBody,
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

    app.delete('/admin/users/:id/tokens/:tokenId', {
      config,
      schema: {
        tags,
        summary: "Revoke a user's token (reads no content: any admin may)",
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
