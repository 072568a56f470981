import { z } from 'zod';
import type { IndicatorType } from './indicators.js';
import { checkIndicator, INDICATOR_TYPES } from './indicators.js';
import type { Tlp } from './tlp.js';
import { TLP_LEVELS } from './tlp.js';

/**
 * The indicators a report carries (`indicators: [{type, value, tlp?}]`), as the API, the import
 * and the web form check them: each value by its type's rule (src/domain/indicators.ts), a bad one
 * a field error naming it (`indicators.2.value`, code invalid_indicator, the reason). One place,
 * so the form shows the message the server would answer.
 */

/** The most indicators one report may carry. */
export const MAX_INDICATORS = 500;

export interface IndicatorInput {
  type: IndicatorType;
  value: string;
  tlp?: Tlp;
}

/** The message of a refused indicator: which one (1-based, as a person counts), its type, why. */
export function indicatorMessage(index: number, type: IndicatorType, reason: string): string {
  return `indicator ${index + 1} (${type}): ${reason}`;
}

export const indicatorInputSchema = z.strictObject({
  type: z.enum(INDICATOR_TYPES).describe('indicator type'),
  // No text() character rule of its own: each type's check admits no control or invisible character.
  value: z.string().min(1).max(2048).describe('the indicator as written; stored in its normal form'),
  tlp: z
    .enum(TLP_LEVELS)
    .optional()
    .describe("TLP 2.0 marking of this indicator (default the incident's); may be stricter"),
});

/** Each value checked by its type; an error's path is the value's (`indicators.N.value`). */
export const indicatorsSchema = z
  .array(indicatorInputSchema)
  .max(MAX_INDICATORS)
  .superRefine((list, ctx) => {
    list.forEach((indicator, i) => {
      const checked = checkIndicator(indicator.type, indicator.value);
      if (checked.ok) return;
      ctx.addIssue({
        code: 'custom',
        path: [i, 'value'],
        params: { code: 'invalid_indicator', index: i, type: indicator.type },
        message: indicatorMessage(i, indicator.type, checked.reason),
      });
    });
  })
  .describe(
    'structured indicators (IP addresses and ranges, domains, URLs, hashes, e-mail addresses, CVE and ATT&CK ids), each checked by its type',
  );

export interface NormalIndicator {
  type: IndicatorType;
  value: string;
  tlp: Tlp | null;
}

/**
 * Checked inputs in their normal form, each (type, value) once: the first one written keeps its
 * place, and a stricter marking given to a repeat wins (folding never widens who receives it).
 * Inputs that do not pass are left out: the schema refused them before this is called.
 */
export function normalIndicators(inputs: readonly IndicatorInput[]): NormalIndicator[] {
  const byKey = new Map<string, NormalIndicator>();
  for (const input of inputs) {
    const checked = checkIndicator(input.type, input.value);
    if (!checked.ok) continue;
    const key = `${input.type}\u0000${checked.value}`;
    const tlp = input.tlp ?? null;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { type: input.type, value: checked.value, tlp });
    else if (tlp && (!seen.tlp || TLP_LEVELS.indexOf(tlp) > TLP_LEVELS.indexOf(seen.tlp))) seen.tlp = tlp;
  }
  return [...byKey.values()];
}
