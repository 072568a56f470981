import { z } from 'zod';
import { SITUATION_SECTIONS } from '../../domain/situation.js';
import { TLP_LEVELS } from '../../domain/tlp.js';

/** Request and response shapes of part 1's situational items (the one source of their types). */

export const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, day));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === day;
  }, 'no such date');

const webUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'an http or https URL');

export const sourceSchema = z.strictObject({
  publisher: z.string().trim().min(1).max(200),
  title: z.string().trim().min(1).max(500),
  published_on: localDate,
  url: webUrl,
  accessed_on: localDate,
});

const text = (max: number) =>
  z.strictObject({
    ja: z.string().trim().min(1).max(max),
    en: z.string().trim().max(max).default('').describe('empty: the English edition shows the Japanese'),
  });

const tag = (pattern: RegExp, what: string) => z.string().trim().regex(pattern, what);
export const tagsSchema = z.strictObject({
  sectors: z
    .array(tag(/^[a-z_]{2,40}$/, 'a sector code'))
    .max(20)
    .default([]),
  countries: z
    .array(tag(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code, e.g. US'))
    .max(20)
    .default([])
    .describe('the first names the heading in the sections grouped by country'),
  groups: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  cves: z
    .array(tag(/^CVE-\d{4}-\d{4,}$/, 'a CVE id'))
    .max(50)
    .default([]),
});

export const SITUATION_STATES = ['candidate', 'accepted', 'dismissed'] as const;

export const situationItemBody = z.strictObject({
  section: z.enum(SITUATION_SECTIONS),
  event_date: localDate.describe('local date of the event: its fiscal quarter is the document it goes in'),
  title: text(300),
  summary: text(4000),
  tags: tagsSchema.default({ sectors: [], countries: [], groups: [], cves: [] }),
  tlp: z.enum(TLP_LEVELS).default('CLEAR').describe('the public edition sets only TLP:CLEAR items'),
  sources: z.array(sourceSchema).min(1).max(10),
  state: z.enum(SITUATION_STATES).default('accepted'),
});

export const situationItemSchema = z.object({
  id: z.number(),
  section: z.enum(SITUATION_SECTIONS),
  event_date: z.string(),
  fiscal_year: z.number(),
  quarter: z.number(),
  title: z.object({ ja: z.string(), en: z.string() }),
  summary: z.object({ ja: z.string(), en: z.string() }),
  tags: z.object({
    sectors: z.array(z.string()),
    countries: z.array(z.string()),
    groups: z.array(z.string()),
    cves: z.array(z.string()),
  }),
  tlp: z.string(),
  state: z.enum(SITUATION_STATES),
  origin: z.enum(['feed', 'advisory', 'manual']),
  origin_url: z.string().nullable(),
  revision: z.number(),
  sources: z.array(sourceSchema),
  updated_at: z.string(),
});

export const situationListQuery = z.strictObject({
  fy: z.coerce.number().int().min(1900).max(9999),
  quarter: z.coerce.number().int().min(1).max(4),
  state: z.enum(SITUATION_STATES).optional(),
});

export const feedBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  url: webUrl.describe('an RSS 2.0, RSS 1.0 or Atom feed'),
  section: z.enum(SITUATION_SECTIONS).default('foreign_ci_incidents'),
});

export const feedSchema = z.object({
  id: z.number(),
  name: z.string(),
  location: z.string(),
  section: z.enum(SITUATION_SECTIONS),
  last_pulled_at: z.string().nullable(),
  last_result: z.string().nullable(),
});

export const pullResultSchema = z.object({
  added: z.number().describe('new candidates'),
  known: z.number().describe('entries whose URL an item already has'),
  outside: z.number().describe('entries without a usable date or link'),
});

export const candidatesQuery = z.strictObject({
  fy: z.coerce.number().int().min(1900).max(9999),
  quarter: z.coerce.number().int().min(1).max(4),
});

export type SituationItemBody = z.infer<typeof situationItemBody>;
export type SituationItemView = z.infer<typeof situationItemSchema>;
export type SituationListQuery = z.infer<typeof situationListQuery>;
export type FeedBody = z.infer<typeof feedBody>;
export type FeedView = z.infer<typeof feedSchema>;
export type PullResult = z.infer<typeof pullResultSchema>;
