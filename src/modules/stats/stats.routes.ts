import type { StatsService } from './stats.service.js';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isAllowed } from '../../access/index.js';
import { errorResponse } from '../../platform/http/error-response.js';
import { renderStatsCsv } from './render-csv.js';
import { renderStatsHtml } from './render-html.js';
import { renderStatsXlsx } from './render-xlsx.js';
import { responseTimes, responseTimesQuery, responseTimesSchema } from './response-times.js';
import type { Database } from '../../platform/db/database.js';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import {
  dataYearsSchema,
  infoSharingQuerySchema,
  infoSharingResponse,
  sectorsQuerySchema,
  sectorStatsSchema,
  XLSX_TYPE,
} from './stats.schema.js';
import type { StatsViewer } from './stats.service.js';

/**
 * The center sees every figure; everyone else (operators, sector desks, admins, who administer
 * accounts rather than content) only published and closed quarters. The center is whoever may read
 * the quarters' closing state (periods:read, the center analysts' grant): the same action the web
 * UI reads from GET /me to say which figures it shows.
 */
export const viewerOf = (request: FastifyRequest): StatsViewer =>
  request.actor && isAllowed(request.actor, 'periods:read') ? 'center' : 'outside';

export function statsRoutes(services: {
  stats: StatsService;
  database: Database;
  calendar: FiscalCalendar;
}): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/stats/info-sharing', {
      config: { policy: 'stats:read' },
      schema: {
        tags: ['statistics'],
        summary: '重要インフラにおける情報共有件数: the four published tables for a fiscal year',
        querystring: infoSharingQuerySchema,
        response: { 200: infoSharingResponse, 400: errorResponse, 401: errorResponse },
      },
      handler: async (request, reply) => {
        const { fy, history, format, lang } = request.query;
        const era = request.query.era === 'true';
        const result = await services.stats.infoSharing(fy, history, viewerOf(request));
        const name = `kyoyu-info-sharing-fy${fy}`;
        switch (format) {
          case 'json':
            return result;
          case 'csv':
            return reply
              .type('text/csv; charset=utf-8')
              .header('content-disposition', `attachment; filename="${name}.csv"`)
              .send(renderStatsCsv(result));
          case 'xlsx':
            return reply
              .type(XLSX_TYPE)
              .header('content-disposition', `attachment; filename="${name}.xlsx"`)
              .send(await renderStatsXlsx(result, { era }));
          case 'html':
            return reply.type('text/html; charset=utf-8').send(renderStatsHtml(result, { lang, era }));
        }
      },
    });

    app.get('/stats/response-times', {
      // The center's: per-incident times are working material, not published figures.
      config: { policy: 'periods:read' },
      schema: {
        tags: ['statistics'],
        summary:
          'Response times of a quarter: aware to first report, to management, to headquarters; occurred to restored (median, 90th percentile)',
        querystring: responseTimesQuery,
        response: { 200: responseTimesSchema, 400: errorResponse, 401: errorResponse, 403: errorResponse },
      },
      handler: (request) =>
        responseTimes(
          services.database.db,
          services.calendar,
          request.query.fy,
          request.query.quarter as Quarter,
        ),
    });

    app.get('/stats/years', {
      config: { policy: 'stats:read' },
      schema: {
        tags: ['statistics'],
        summary: 'The fiscal years with figures the caller may see, newest first, and the running one',
        response: { 200: dataYearsSchema, 401: errorResponse },
      },
      handler: (request) => services.stats.dataYears(viewerOf(request)),
    });

    app.get('/stats/sectors', {
      config: { policy: 'stats:read' },
      schema: {
        tags: ['statistics'],
        summary: 'Operator reports per sector for each quarter of a fiscal year and the year',
        querystring: sectorsQuerySchema,
        response: { 200: sectorStatsSchema, 400: errorResponse, 401: errorResponse },
      },
      handler: (request) => services.stats.sectors(request.query.fy, viewerOf(request)),
    });
  };
}
