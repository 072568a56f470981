import { z } from 'zod';
import { STAT_TABLES } from '../../domain/counting.js';
import { MAX_HISTORY } from './stats.service.js';

/**
 * Request and response shapes of the statistics routes: the one source of their types (the web UI
 * imports them, type-only). The service builds the domain's own types (src/domain may not import
 * a module); the routes' typed handlers check that those fit these shapes.
 */

export const fiscalYearSchema = z.coerce
  .number()
  .int()
  .min(1900)
  .max(9999)
  .describe('fiscal year, e.g. 2023');

export const STATS_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;

export const infoSharingQuerySchema = z.strictObject({
  fy: fiscalYearSchema,
  history: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_HISTORY)
    .default(4)
    .describe('past fiscal years shown as totals'),
  format: z.enum(STATS_FORMATS).default('json'),
  lang: z.enum(['ja', 'en']).default('ja').describe('language of the HTML rendering'),
  era: z
    .enum(['true', 'false'])
    .default('false')
    .describe('HTML and XLSX: fiscal years named by their Japanese era (令和5年度) rather than 2023年度'),
});

export const sectorsQuerySchema = z.strictObject({ fy: fiscalYearSchema });

const columnState = z.enum(['published', 'closed', 'open']);

const rowLabel = z.object({
  code: z.string(),
  ja: z.string(),
  en: z.string(),
  group: z.string().optional().describe('the row group (events and causes)'),
  group_ja: z.string().optional(),
  group_en: z.string().optional(),
});

/** The four tables of a fiscal year, as laid out in the published table. */
export const infoSharingStatsSchema = z.object({
  fiscal_year: z.number(),
  columns: z.array(z.string()),
  column_sources: z.array(z.enum(['records', 'aggregates', 'none'])),
  column_states: z
    .array(columnState)
    .describe('published (frozen), closed, or open (null outside the center)'),
  tables: z.record(z.enum(STAT_TABLES), z.record(z.string(), z.array(z.number().nullable()))),
  labels: z.record(z.enum(STAT_TABLES), z.array(rowLabel)),
  published_years: z
    .array(z.object({ fiscal_year: z.number(), records: z.number().nullable() }))
    .describe('published years among the columns and the records each holds beside its published figures'),
});

export const quarterStateSchema = z.object({
  quarter: z.number(),
  state: columnState,
  ended: z.boolean(),
  closed_at: z.string().nullable(),
  late_filings: z
    .number()
    .nullable()
    .describe('for the center: records that arrived or changed after the closing'),
});

export const infoSharingAnswerSchema = infoSharingStatsSchema.extend({
  quarters: z.array(quarterStateSchema),
});

/**
 * The same tables in the other formats: the body as the media type says. Fastify sends a string
 * or Buffer body with its own content type as it is (no serializer runs), so these document it.
 */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const csvBody = z.string().describe('CSV (UTF-8 with a byte-order mark), one table after another');
const htmlBody = z.string().describe('an HTML page of the four tables, in the language asked for');
// Bytes (a Node Buffer is a Uint8Array); JSON Schema has no such type: documented as binary.
const xlsxBody = z
  .custom<Uint8Array>((value) => value instanceof Uint8Array)
  .meta({ type: 'string', format: 'binary', description: 'an Excel workbook, one sheet per table' });

/** The 200 answer of GET /stats/info-sharing, per media type (`format` picks it). */
export const infoSharingResponse = {
  description: 'the tables: JSON (format=json), CSV, XLSX or HTML',
  content: {
    'application/json': { schema: infoSharingAnswerSchema },
    'text/csv': { schema: csvBody },
    [XLSX_TYPE]: { schema: xlsxBody },
    'text/html': { schema: htmlBody },
  },
};

export const sectorStatsSchema = z.object({
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
});

/** Which fiscal years have figures for the caller: the first screen opens on the newest of them. */
export const dataYearsSchema = z.object({
  current_fiscal_year: z.number().describe('the running fiscal year'),
  years: z
    .array(z.number())
    .describe(
      'fiscal years with at least one figure the caller may see, newest first (outside the center: published years and closed quarters only)',
    ),
  latest: z.number().nullable().describe('the newest of them; null when there is no data at all'),
});

export type InfoSharingStats = z.infer<typeof infoSharingStatsSchema>;
export type InfoSharingAnswer = z.infer<typeof infoSharingAnswerSchema>;
export type QuarterState = z.infer<typeof quarterStateSchema>;
export type StatsRowLabel = z.infer<typeof rowLabel>;
export type SectorStats = z.infer<typeof sectorStatsSchema>;
export type DataYears = z.infer<typeof dataYearsSchema>;
export type StatsFormat = (typeof STATS_FORMATS)[number];
