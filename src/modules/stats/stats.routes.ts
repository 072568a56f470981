import type { StatsService } from './stats.service.js';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponse } from '../../platform/http/error-response.js';
import { renderStatsCsv } from './render-csv.js';
import { renderStatsHtml } from './render-html.js';
import { renderStatsXlsx } from './render-xlsx.js';
import type { StatsViewer } from './stats.service.js';
import { MAX_HISTORY } from './stats.service.js';

/**
 * The center's analysts see every figure; everyone else (operators, sector desks, admins, who
 * administer accounts rather than content) only published and closed quarters.
 */
export const viewerOf = (request: FastifyRequest): StatsViewer =>
  request.actor?.role === 'center_analyst' ? 'center' : 'outside';

const columnState = z.enum(['published', 'closed', 'open']);

const query = z.strictObject({
  fy: z.coerce.number().int().min(1900).max(9999).describe('fiscal year, e.g. 2023'),
  history: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_HISTORY)
    .default(4)
    .describe('past fiscal years shown as totals'),
  format: z.enum(['json', 'csv', 'xlsx', 'html']).default('json'),
  lang: z.enum(['ja', 'en']).default('ja').describe('language of the HTML rendering'),
});

const stats = z.object({
  fiscal_year: z.number(),
  columns: z.array(z.string()),
  column_sources: z.array(z.enum(['records', 'aggregates', 'none'])),
  column_states: z
    .array(columnState)
    .describe('published (frozen), closed, or open (null outside the center)'),
  tables: z.record(z.string(), z.record(z.string(), z.array(z.number().nullable()))),
  labels: z.record(
    z.string(),
    z.array(z.object({ code: z.string(), ja: z.string(), en: z.string() }).passthrough()),
  ),
  published_years: z
    .array(z.object({ fiscal_year: z.number(), records: z.number().nullable() }))
    .describe('published years among the columns and the records each holds beside its published figures'),
  quarters: z.array(
    z.object({
      quarter: z.number(),
      state: columnState,
      ended: z.boolean(),
      closed_at: z.string().nullable(),
      late_filings: z
        .number()
        .nullable()
        .describe('for the center: records that arrived or changed after the closing'),
    }),
  ),
});

export function statsRoutes(services: { stats: StatsService }): FastifyPluginAsyncZod {
  // eslint-disable-next-line @typescript-eslint/require-await
  return async (app) => {
    app.get('/stats/info-sharing', {
      config: { policy: 'stats:read' },
      schema: {
        tags: ['statistics'],
        summary: '重要インフラにおける情報共有件数: the four published tables for a fiscal year',
        querystring: query,
        response: { 200: stats.or(z.any()), 400: errorResponse, 401: errorResponse },
      },
      handler: async (request, reply) => {
        const { fy, history, format, lang } = request.query;
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
              .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
              .header('content-disposition', `attachment; filename="${name}.xlsx"`)
              .send(await renderStatsXlsx(result));
          case 'html':
            return reply.type('text/html; charset=utf-8').send(renderStatsHtml(result, { lang }));
        }
      },
    });

    app.get('/stats/sectors', {
      config: { policy: 'stats:read' },
      schema: {
        tags: ['statistics'],
        summary: 'Operator reports per sector for each quarter of a fiscal year and the year',
        querystring: z.strictObject({ fy: query.shape.fy }),
        response: {
          200: z.object({
            fiscal_year: z.number(),
            columns: z.array(z.string()),
            column_states: z.array(columnState),
            min_cell: z.number().describe('counts from 1 to min_cell - 1 are suppressed (0: none)'),
            rows: z.array(
              z.object({
                code: z.string(),
                ja: z.string(),
                en: z.string(),
                values: z.array(z.number().nullable()),
                states: z.array(z.enum(['shown', 'suppressed', 'withheld'])),
              }),
            ),
          }),
          400: errorResponse,
          401: errorResponse,
        },
      },
      handler: (request) => services.stats.sectors(request.query.fy, viewerOf(request)),
    });
  };
}
