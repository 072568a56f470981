import { describe, expect, it } from 'vitest';
import adminEn from '../../web/src/shared/i18n/admin.en.json' with { type: 'json' };
import adminJa from '../../web/src/shared/i18n/admin.ja.json' with { type: 'json' };
import lifecycleEn from '../../web/src/shared/i18n/lifecycle.en.json' with { type: 'json' };
import lifecycleJa from '../../web/src/shared/i18n/lifecycle.ja.json' with { type: 'json' };
import listEn from '../../web/src/shared/i18n/list.en.json' with { type: 'json' };
import listJa from '../../web/src/shared/i18n/list.ja.json' with { type: 'json' };
import reportEn from '../../web/src/shared/i18n/report.en.json' with { type: 'json' };
import reportJa from '../../web/src/shared/i18n/report.ja.json' with { type: 'json' };
import type { FieldErrorCode } from '../../src/domain/report-line.js';

function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([key, value]: [string, unknown]) =>
      typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
    )
    .sort();
}

/** Every field error code the server sends has a message next to the field, in both languages. */
const jaCodes: Record<FieldErrorCode, string> = reportJa.report.errors;
const enCodes: Record<FieldErrorCode, string> = reportEn.report.errors;

describe('the report and admin pages’ ja and en resources', () => {
  it('have the same keys, no empty text, and a message for every field error code', () => {
    expect(keys(reportEn)).toEqual(keys(reportJa));
    expect(keys(adminEn)).toEqual(keys(adminJa));
    expect(keys(lifecycleEn)).toEqual(keys(lifecycleJa));
    expect(keys(listEn)).toEqual(keys(listJa));
    expect(
      JSON.stringify([reportJa, reportEn, adminJa, adminEn, lifecycleJa, lifecycleEn, listJa, listEn]),
    ).not.toMatch(/:""/);
    expect(Object.keys(jaCodes).sort()).toEqual(Object.keys(enCodes).sort());
  });
});
