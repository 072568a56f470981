import { z } from 'zod';
import { OPERATOR_REPORT_REQUIRED } from './report-required.js';
import type { Taxonomy } from './taxonomy.js';
import { CHANNELS, STAGES } from './taxonomy.js';
import { indicatorsSchema } from './indicator-input.js';
import { findForbiddenCharacter } from './text-rules.js';
import { TLP_LEVELS } from './tlp.js';

/**
 * The report line: one JSONL line, one CSV row, the body of `POST /api/v1/incidents`.
 * One schema serves import, API validation, OpenAPI and (later) the UI's forms.
 */

// ISO 8601 with seconds optional and fractions optional; the offset is what makes an instant unambiguous.
const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/;

export type TimeCheck =
  { ok: true; epochMs: number } | { ok: false; code: 'time_without_offset' | 'invalid_time' };

/** Parses an ISO 8601 instant, refusing local times (ambiguous) and impossible dates such as 2023-02-29. */
export function parseInstant(text: string): TimeCheck {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return { ok: false, code: ISO_WITHOUT_OFFSET.test(text) ? 'time_without_offset' : 'invalid_time' };
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(
    Number,
  ) as [number, number, number, number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, code: 'invalid_time' };
  }
  const offset = m[7]!;
  const normalised = offset === 'Z' || offset.includes(':') ? text : `${text.slice(0, -2)}:${text.slice(-2)}`;
  const epochMs = Date.parse(normalised);
  return Number.isNaN(epochMs) ? { ok: false, code: 'invalid_time' } : { ok: true, epochMs };
}

/** The instant of an optional, already validated time; null when absent. */
export function optionalInstant(text: string | undefined): number | null {
  if (text === undefined) return null;
  const parsed = parseInstant(text);
  return parsed.ok ? parsed.epochMs : null;
}

/**
 * A string field: at most `max` characters, Unicode NFC (so that a report typed on a Mac and one
 * typed on Windows compare equal), and only characters that text-rules.ts allows (no controls,
 * lone surrogates, bidirectional controls or zero-width characters; line breaks when `multiline`).
 * Every text input of the API, the import and the web form goes through this rule.
 */
export function text(max: number, multiline = false) {
  return z
    .string()
    .max(max)
    .overwrite((value) => value.normalize('NFC'))
    .superRefine((value, ctx) => {
      const found = findForbiddenCharacter(value, multiline);
      if (found) {
        ctx.addIssue({
          code: 'custom',
          params: { code: found.code, position: found.position, code_point: found.codePoint },
          message: found.message,
        });
      }
    });
}

export function instantSchema() {
  return z
    .string()
    .max(64)
    .superRefine((value, ctx) => {
      const parsed = parseInstant(value);
      if (!parsed.ok) {
        ctx.addIssue({
          code: 'custom',
          params: { code: parsed.code },
          message:
            parsed.code === 'time_without_offset'
              ? 'a time without an offset is ambiguous: add Z or +09:00'
              : 'not an ISO 8601 date-time',
        });
      }
    })
    .describe('ISO 8601 instant with an offset or Z, e.g. 2024-02-29T09:30:00+09:00');
}

export function classificationSchemas(taxonomy: Taxonomy) {
  const d = taxonomy.data;
  const event = z
    .enum(d.events.map((e) => e.code) as [string, ...string[]])
    .describe('event type code (one)');
  const cause = z.enum(d.causes.map((c) => c.code) as [string, ...string[]]);
  const causes = z
    .array(cause)
    .min(1)
    .max(d.causes.length)
    .superRefine((list, ctx) => {
      if (new Set(list).size !== list.length) {
        ctx.addIssue({
          code: 'custom',
          params: { code: 'duplicate_value' },
          message: 'a cause is listed twice',
        });
      }
    })
    .describe('cause codes (one or more, multiple choice)');
  const attackType = z
    .enum(d.attack_types.map((a) => a.code) as [string, ...string[]])
    .nullable()
    .describe('cyber-attack type code, or null when not caused by a cyber attack');
  return { event, causes, attackType };
}

const refSchema = () =>
  text(200).min(1).describe("the source's own id; lines with the same ref are stages of one incident");

/** A file line: it must carry its ref (re-importing the file must find the same incidents). */
export function reportLineSchema(taxonomy: Taxonomy) {
  return lineSchema(taxonomy, refSchema(), true);
}

/**
 * An API report: a form has no ref of its own, so the server derives one when it is absent; the
 * organisation defaults to the caller's (and only the center may name another).
 */
export function newReportSchema(taxonomy: Taxonomy) {
  return lineSchema(taxonomy, refSchema().optional(), false);
}

export { OPERATOR_REPORT_REQUIRED, STAGE_REPORT_REQUIRED } from './report-required.js';
export type { RequiredField } from './report-required.js';

/** Refused by their own field schemas when missing or empty: the refinements need not repeat them. */
const REQUIRED_BY_TYPE: ReadonlySet<string> = new Set(['received_at', 'title']);

/** Missing, or text with nothing but white space in it. */
const isBlank = (value: unknown) => value === undefined || (typeof value === 'string' && value.trim() === '');

/** Adds a `required` issue for each of `fields` the value leaves blank. */
export function requireFields(
  value: Readonly<Record<string, unknown>>,
  fields: readonly string[],
  ctx: z.RefinementCtx,
  why: string,
): void {
  for (const field of fields) {
    if (REQUIRED_BY_TYPE.has(field) || !isBlank(value[field])) continue;
    ctx.addIssue({
      code: 'custom',
      path: [field],
      params: { code: 'required' },
      message: `${field} is required ${why}`,
    });
  }
}

/** An optional instant of the incident itself (not of the report), checked for order by incident-times.ts. */
export const incidentTime = (what: string) =>
  instantSchema()
    .optional()
    .describe(
      `${what}; optional, ISO 8601 with an offset or Z. In order: occurred_at <= detected_at <= received_at, none in the future`,
    );

function lineSchema<R extends z.ZodType<string | undefined>>(
  taxonomy: Taxonomy,
  ref: R,
  organizationRequired: boolean,
) {
  const { event, causes, attackType } = classificationSchemas(taxonomy);
  const sector = z
    .enum(taxonomy.data.sectors.map((s) => s.code) as [string, ...string[]])
    .describe('sector code');
  const required = OPERATOR_REPORT_REQUIRED.filter((f) => f !== 'organization' || organizationRequired);
  return z
    .strictObject({
      ref,
      channel: z.enum(CHANNELS).describe('sharing channel'),
      received_at: instantSchema().describe('when this report was received; ISO 8601 with an offset or Z'),
      occurred_at: incidentTime('when the incident happened (発生日時)'),
      detected_at: incidentTime('when the incident was detected (検知日時)'),
      organization: text(200).min(1).optional().describe('reporting organisation (operator reports)'),
      sector: sector.optional(),
      title: text(500).min(1).describe('short title'),
      description: text(20_000, true).describe(
        'what happened (required, not blank, for operator reports), or the body of a share or provision',
      ),
      stage: z
        .enum(STAGES)
        .optional()
        .describe('report stage (operator reports): initial 第一報, update 続報, final 最終報'),
      event: event.optional(),
      causes: causes.optional(),
      attack_type: attackType.optional(),
      tlp: z
        .enum(TLP_LEVELS)
        .optional()
        .describe('TLP 2.0 marking: who may receive the record (default AMBER; GREEN for center provisions)'),
      indicators: indicatorsSchema.optional(),
    })
    .superRefine((line, ctx) => {
      const refuse = (
        field: 'stage' | 'event' | 'causes' | 'attack_type' | 'occurred_at' | 'detected_at',
      ) => {
        if (line[field] !== undefined && line[field] !== null) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            params: { code: 'not_allowed_for_channel' },
            message: `${field} belongs to operator reports only`,
          });
        }
      };
      if (line.channel === 'operator_report') requireFields(line, required, ctx, 'for operator reports');
      else
        (['stage', 'event', 'causes', 'attack_type', 'occurred_at', 'detected_at'] as const).forEach(refuse);
    });
}

export type ReportLine = z.infer<ReturnType<typeof reportLineSchema>>;
