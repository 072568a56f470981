import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DURATION_UNITS } from '../../domain/deadline.js';
import { HOLIDAY_CALENDARS } from '../../domain/holiday-calendars.js';
import type { Regime } from '../../domain/regimes.js';
import { INCIDENT_TIMES, ORGANIZATION_FLAGS, REGIME_FACTS } from '../../domain/regimes.js';

/**
 * The reporting regimes kyoyu ships (data/regimes.json), checked when read: a regime whose stage
 * counts from a stage it does not have, names an item it does not define, or keeps a time zone no
 * one has is refused with where it is wrong, rather than giving a wrong due time later.
 */

export const DEFAULT_REGIMES_FILE = new URL('../../../data/regimes.json', import.meta.url);

const bilingual = z.strictObject({ ja: z.string().min(1), en: z.string().min(1) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const period = z.strictObject({
  amount: z.number().int().min(0).max(10_000),
  unit: z.enum(DURATION_UNITS),
  counting: z.enum(['elapsed', 'end_of_day']),
});
const start = z.union([
  z.strictObject({ time: z.enum(INCIDENT_TIMES) }),
  z.strictObject({ stage: z.string().min(1) }),
]);
const facts = z.array(z.enum(REGIME_FACTS)).min(1);

const stage = z.strictObject({
  code: z.string().regex(/^[a-z_]+$/),
  name: bilingual,
  promptly: z.boolean().optional(),
  from: start,
  from_if: z.array(z.strictObject({ facts_any: facts, from: start })).optional(),
  within: period.optional(),
  within_if: z.array(z.strictObject({ facts_any: facts, within: period })).optional(),
  latest: z.strictObject({ from: start, within: period }).optional(),
  when: z.strictObject({ facts_any: facts }).optional(),
  items: z.array(z.string()).min(1),
});

export const regimeSchema = z
  .strictObject({
    code: z.string().regex(/^[a-z0-9-]+$/),
    version: z.number().int().positive(),
    effective_from: date,
    effective_to: date.optional(),
    name: bilingual,
    authority: bilingual,
    applies_to: z.strictObject({
      sectors: z.array(z.string()).min(1).optional(),
      flags: z.array(z.enum(ORGANIZATION_FLAGS)).min(1).optional(),
      facts_any: facts.optional(),
    }),
    time_zone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone'),
    holidays: z.enum(Object.keys(HOLIDAY_CALENDARS) as [string, ...string[]]).optional(),
    stages: z.array(stage).min(1),
    items: z.record(z.string(), bilingual.extend({ field: z.string().min(1) })),
    source: z.strictObject({
      url: z.url(),
      read_on: date,
      confidence: z.enum(['law', 'guidance', 'secondary']),
      note: z.string().optional(),
    }),
  })
  .superRefine((r, ctx) => {
    const codes = r.stages.map((s) => s.code);
    r.stages.forEach((s, i) => {
      if (!s.within && !s.promptly && !s.latest)
        ctx.addIssue({
          code: 'custom',
          path: ['stages', i],
          message: 'a stage has a period (within), or is prompt',
        });
      for (const p of [s.from, ...(s.from_if ?? []).map((f) => f.from), ...(s.latest ? [s.latest.from] : [])])
        if ('stage' in p && !codes.slice(0, i).includes(p.stage))
          ctx.addIssue({
            code: 'custom',
            path: ['stages', i, 'from'],
            message: `counts from ${p.stage}, not an earlier stage of this regime`,
          });
      for (const item of s.items)
        if (!(item in r.items))
          ctx.addIssue({
            code: 'custom',
            path: ['stages', i, 'items'],
            message: `item ${item} is not defined`,
          });
    });
    if (r.effective_to && r.effective_to <= r.effective_from)
      ctx.addIssue({ code: 'custom', path: ['effective_to'], message: 'ends before it starts' });
  });

export const regimesFileSchema = z.strictObject({
  version: z.string(),
  note: z.string().optional(),
  regimes: z.array(regimeSchema).min(1),
});

export class RegimesFileError extends Error {}

/** The regimes of a file, checked; the versions of one code must not overlap in time. */
export function loadRegimes(file: URL | string = DEFAULT_REGIMES_FILE): Regime[] {
  const parsed = regimesFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new RegimesFileError(
      `regimes file ${String(file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const regimes = parsed.data.regimes as Regime[];
  checkVersions(regimes);
  return regimes;
}

/** The versions of one code must not overlap in time (one version is in force on any day). */
export function checkVersions(regimes: readonly Regime[]): void {
  const byCode = new Map<string, Regime[]>();
  for (const r of regimes) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
  for (const [code, versions] of byCode) {
    const sorted = [...versions].sort((a, b) => a.effective_from.localeCompare(b.effective_from));
    for (let i = 1; i < sorted.length; i++)
      if (!sorted[i - 1]!.effective_to || sorted[i - 1]!.effective_to! > sorted[i]!.effective_from)
        throw new RegimesFileError(
          `regime ${code}: version ${sorted[i - 1]!.version} overlaps version ${sorted[i]!.version}`,
        );
  }
}
