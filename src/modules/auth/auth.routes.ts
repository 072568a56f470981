import type { Config } from '../../config.js';
import type { CredentialService } from './credentials.service.js';
import type { SessionService } from './session.service.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allowedActions, roleNeedsSecondFactor } from '../../access/index.js';
import { actorOf } from '../../access/request.js';
import { principalOf } from './auth.gate.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { clearSessionCookie, setSessionCookie } from '../../platform/http/session-cookie.js';
import { AppError } from '../../platform/errors.js';
import {
  codeBodySchema,
  loginBodySchema,
  passwordChangeBodySchema,
  reauthBodySchema,
  sessionViewSchema,
  totpSetupSchema,
} from './auth.schema.js';
import type { SessionPrincipal } from './session.service.js';

const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  409: errorResponse,
  429: errorResponse,
};

function present(request: FastifyRequest, principal: SessionPrincipal | null) {
  const a = principal?.actor ?? actorOf(request);
  return {
    user: {
      email: a.email,
      role: a.role,
      organization: a.organizationName,
      sectors: [...a.sectors],
      organization_sectors: [...(a.organizationSectors ?? [])],
      actions: allowedActions(a),
    },
    mfa: principal?.mfa ?? ('not_required' as const),
    second_factor_required: roleNeedsSecondFactor(a.role),
    csrf_token: principal?.session.csrf_token ?? null,
    expires_at: principal?.session.expires_at ?? null,
    password_change_required: principal?.passwordChangeRequired ?? false,
  };
}

/** Sign-in, the second factor, sign-out: the browser's way in (scripts use API tokens). */
export function authRoutes(services: {
  sessions: SessionService;
  credentials: CredentialService;
  config: Config;
}): FastifyPluginAsyncZod {
  const { sessions, credentials, config } = services;
  const cookie = (reply: FastifyReply, request: FastifyRequest, value: string, p: SessionPrincipal) =>
    setSessionCookie(
      reply,
      config,
      request,
      value,
      Math.max(0, Math.floor((Date.parse(p.session.expires_at) - Date.now()) / 1000)),
    );
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.post('/auth/login', {
      config: { policy: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: loginBodySchema,
        response: { 200: sessionViewSchema, ...errors },
      },
      handler: async (request, reply) => {
        const { cookieValue, principal } = await sessions.login(request.body.email, request.body.password, {
          ip: request.ip,
          userAgent: request.headers['user-agent'],
          requestId: request.id,
        });
        cookie(reply, request, cookieValue, principal);
        return present(request, principal);
      },
    });

    app.get('/auth/session', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary: 'The current session (or token caller)',
        response: { 200: sessionViewSchema, ...errors },
      },
      handler: (request) => present(request, request.principal),
    });

    app.post('/auth/mfa', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary: 'Enter the one-time code of the second factor',
        body: codeBodySchema,
        response: { 200: sessionViewSchema, ...errors },
      },
      handler: async (request, reply) => {
        // A new session id and CSRF token once the second factor is in (no session fixation).
        const signedIn = await sessions.verifyMfa(principalOf(request), request.body.code);
        cookie(reply, request, signedIn.cookieValue, signedIn.principal);
        return present(request, signedIn.principal);
      },
    });

    app.post('/auth/totp/setup', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app (needs the password again): a new secret, shown once',
        body: reauthBodySchema,
        response: { 200: totpSetupSchema, ...errors },
      },
      handler: (request) => credentials.startTotpSetup(principalOf(request), request.body.password),
    });

    app.post('/auth/totp/enable', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary: 'Confirm the authenticator app with a first code',
        body: codeBodySchema,
        response: { 200: sessionViewSchema, ...errors },
      },
      handler: async (request, reply) => {
        const signedIn = await credentials.enableTotp(principalOf(request), request.body.code);
        cookie(reply, request, signedIn.cookieValue, signedIn.principal);
        return present(request, signedIn.principal);
      },
    });

    app.post('/auth/totp/remove', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary:
          'Remove your second factor (needs the password again); where the role needs one, set up a new one next',
        body: reauthBodySchema,
        response: { 200: sessionViewSchema, ...errors },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        if (principal.mfa !== 'verified') throw new AppError('mfa_required', 'enter the second factor first');
        const signedIn = await credentials.removeTotp(principal, request.body.password);
        cookie(reply, request, signedIn.cookieValue, signedIn.principal);
        return present(request, signedIn.principal);
      },
    });

    app.post('/auth/password', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary: 'Change your password (ends your sessions)',
        body: passwordChangeBodySchema,
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        if (principal.mfa === 'required' || principal.mfa === 'setup_required') {
          throw new AppError('mfa_required', 'enter the second factor first');
        }
        await credentials.changePassword(principal, request.body.current_password, request.body.new_password);
        clearSessionCookie(reply, config, request);
        return reply.status(204).send(null);
      },
    });

    app.post('/auth/logout', {
      config: { policy: 'auth:session' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: ends the session',
        response: { 204: z.null(), ...errors },
      },
      handler: async (request, reply) => {
        if (request.principal) await sessions.logout(request.principal);
        clearSessionCookie(reply, config, request);
        return reply.status(204).send(null);
      },
    });
  };
}
