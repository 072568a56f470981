import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../access/request.js';
import { errorResponse, recordId, recordRefusals } from '../../platform/http/error-response.js';
import { expectedRevision } from '../../platform/http/if-match.js';
import type { ObligationServices } from './index.js';
import { deadlines } from './obligation.deadlines.js';
import { exportStage } from './obligation.export.js';
import { flagsOf, setFlags } from './organization-flags.js';
import {
  deadlinesQuery,
  deadlinesSchema,
  decisionBody,
  exportQuery,
  factsBody,
  flagsBody,
  flagsSchema,
  obligationsViewSchema,
  previewQuery,
  previewSchema,
  stageBody,
  stageFormSchema,
} from './obligation.schema.js';

const code = z.string().regex(/^[a-z0-9-]{1,40}$/);
const stageCode = z.string().regex(/^[a-z_]{1,40}$/);
const params = z.object({ id: recordId });
const binary = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array)
  .meta({ type: 'string', format: 'binary' });
const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** An incident's reporting duties: read by whoever sees it, written by its reporter or the center. */
export function obligationRoutes(services: ObligationServices): FastifyPluginAsyncZod {
  const { obligations } = services;
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    const tags = ['obligations'];
    app.get('/incidents/:id/obligations', {
      config: { policy: 'incidents:read' },
      schema: {
        tags,
        summary:
          'The reporting duties of an incident: proposed, confirmed or declined, each stage with its due time',
        params,
        response: { 200: obligationsViewSchema, ...recordRefusals },
      },
      handler: (request) => obligations.get(actorOf(request), request.params.id),
    });
    app.put('/incidents/:id/obligations/facts', {
      config: { policy: 'incidents:write' },
      schema: {
        tags,
        summary:
          'The facts that decide the duties (personal data, cyber attack, outage...) and the items only the operator knows',
        params,
        body: factsBody,
        response: { 200: obligationsViewSchema, ...recordRefusals, 412: errorResponse },
      },
      handler: (request) =>
        obligations.setFacts(
          actorOf(request),
          request.params.id,
          request.body,
          expectedRevision(request.headers['if-match']),
        ),
    });
    app.put('/incidents/:id/obligations/:code', {
      config: { policy: 'incidents:write' },
      schema: {
        tags,
        summary:
          'Confirm or decline one regime for the incident (with the consent to share that report with the center)',
        params: params.extend({ code }),
        body: decisionBody,
        response: { 200: obligationsViewSchema, ...recordRefusals },
      },
      handler: (request) =>
        obligations.decide(actorOf(request), request.params.id, request.params.code, request.body),
    });
    app.put('/incidents/:id/obligations/:code/stages/:stage', {
      config: { policy: 'incidents:write' },
      schema: {
        tags,
        summary: "A stage submitted (when, the recipient's reference), not required (why), or open again",
        params: params.extend({ code, stage: stageCode }),
        body: stageBody,
        response: { 200: obligationsViewSchema, ...recordRefusals },
      },
      handler: (request) =>
        obligations.recordStage(
          actorOf(request),
          request.params.id,
          request.params.code,
          request.params.stage,
          request.body,
        ),
    });
    app.get('/incidents/:id/obligations/:code/stages/:stage/export', {
      config: { policy: 'incidents:read' },
      schema: {
        tags,
        summary:
          "A stage's required items filled from the incident: XLSX (the common forms' layout), CSV or JSON",
        params: params.extend({ code, stage: stageCode }),
        querystring: exportQuery,
        response: {
          200: {
            description: 'the filled form',
            content: {
              [CONTENT_TYPES.xlsx]: { schema: binary },
              'text/csv': { schema: z.string() },
              'application/json': { schema: stageFormSchema },
            },
          },
          ...recordRefusals,
        },
      },
      handler: async (request, reply) => {
        const { id, code: c, stage } = request.params;
        const { format, lang } = request.query;
        const out = await exportStage(services, actorOf(request), id, c, stage, format, lang);
        return reply
          .type(CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="${out.filename}"`)
          .send(out.body);
      },
    });
    // A read (nothing is stored), for those who file reports.
    app.get('/obligations/preview', {
      config: { policy: 'incidents:write' },
      schema: {
        tags,
        summary: 'The duties a report would have, before it is filed (the report form)',
        querystring: previewQuery,
        response: { 200: previewSchema, 400: errorResponse, 401: errorResponse, 403: errorResponse },
      },
      handler: (request) => obligations.preview(actorOf(request), request.query),
    });
    app.get('/obligations/deadlines', {
      config: { policy: 'incidents:read' },
      schema: {
        tags,
        summary: 'Overdue and soon-due stages of confirmed duties, among the records the caller sees',
        querystring: deadlinesQuery,
        response: { 200: deadlinesSchema, 400: errorResponse, 401: errorResponse, 403: errorResponse },
      },
      handler: (request) => deadlines(services.database, services.regimes, actorOf(request), request.query),
    });
  };
}

/** An organisation's flags (designated operator, EU entity, US covered entity): the admins'. */
export function organizationFlagRoutes(services: ObligationServices): FastifyPluginAsyncZod {
  const organization = z.object({ id: recordId });
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/organizations/:id/flags', {
      config: { policy: 'regimes:manage' },
      schema: {
        tags: ['obligations'],
        summary: "An organisation's flags",
        params: organization,
        response: { 200: flagsSchema, ...recordRefusals },
      },
      handler: (request) => flagsOf(services.database, request.params.id),
    });
    app.put('/organizations/:id/flags', {
      config: { policy: 'regimes:manage' },
      schema: {
        tags: ['obligations'],
        summary: "Sets an organisation's flags (all of them)",
        params: organization,
        body: flagsBody,
        response: { 200: flagsSchema, ...recordRefusals },
      },
      handler: (request) =>
        setFlags(services.database, services.audit, actorOf(request), request.params.id, request.body.flags),
    });
  };
}
