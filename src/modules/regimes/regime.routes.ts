import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse } from '../../platform/http/error-response.js';
import type { RegimeCatalog } from './regime.overrides.js';

const entry = z.looseObject({
  code: z.string(),
  version: z.number(),
  origin: z.enum(['file', 'database']).describe('shipped in data/regimes.json, or an admin’s version'),
});
type Entry = z.infer<typeof entry>;
// A regime is a fixed shape (regimeSchema, with its cross-checks); the answer shows it whole.
const asEntry = (r: object) => r as Entry;
const versionParams = z.object({
  code: z.string().regex(/^[a-z0-9-]{1,40}$/),
  version: z.coerce.number().int().positive().max(1_000_000),
});
const refusals = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

/** The reporting regimes: read by everyone signed in; an admin's versions over the shipped file. */
export function regimeRoutes(services: { regimes: RegimeCatalog }): FastifyPluginAsyncZod {
  const { regimes } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/regimes', {
      config: { policy: 'regimes:read' },
      schema: {
        tags: ['regimes'],
        summary:
          'Every reporting regime: who it applies to, its stages, deadlines, items, source and confidence',
        response: { 200: z.object({ regimes: z.array(entry) }), 401: errorResponse, 403: errorResponse },
      },
      handler: async () => ({ regimes: (await regimes.list()).map(asEntry) }),
    });
    app.put('/regimes/:code/versions/:version', {
      config: { policy: 'regimes:manage' },
      schema: {
        tags: ['regimes'],
        summary:
          'An admin’s version of a regime: replaces the shipped one of the same version, or adds a version',
        params: versionParams,
        body: z.unknown().describe('a whole regime, as in data/regimes.json'),
        response: { 200: entry, ...refusals },
      },
      handler: async (request) =>
        asEntry(
          await regimes.put(actorOf(request), request.params.code, request.params.version, request.body),
        ),
    });
    app.delete('/regimes/:code/versions/:version', {
      config: { policy: 'regimes:manage' },
      schema: {
        tags: ['regimes'],
        summary: 'Removes an admin’s version (the shipped one, if any, applies again)',
        params: versionParams,
        response: { 204: z.null(), ...refusals },
      },
      handler: async (request, reply) => {
        await regimes.remove(actorOf(request), request.params.code, request.params.version);
        return reply.code(204).send(null);
      },
    });
  };
}
