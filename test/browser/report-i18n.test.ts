import { describe, expect, it } from 'vitest';
import adminEn from '../../web/src/shared/i18n/admin.en.json' with { type: 'json' };
import adminJa from '../../web/src/shared/i18n/admin.ja.json' with { type: 'json' };
import lifecycleEn from '../../web/src/shared/i18n/lifecycle.en.json' with { type: 'json' };
import lifecycleJa from '../../web/src/shared/i18n/lifecycle.ja.json' with { type: 'json' };
import listEn from '../../web/src/shared/i18n/list.en.json' with { type: 'json' };
import listJa from '../../web/src/shared/i18n/list.ja.json' with { type: 'json' };
import reportEn from '../../web/src/shared/i18n/report.en.json' with { type: 'json' };
import reportJa from '../../web/src/shared/i18n/report.ja.json' with { type: 'json' };
import type { FieldErrorCode } from '../../src/domain/field-errors.js';

/**
 * The keys of a resource tree; i18next plural forms (`key_one`, `key_other`, where `key_other`
 * exists beside them) count as their base key, so that a language with plural forms (English)
 * and one without (Japanese: `key` alone) have the same keys. `select_one` without a
 * `select_other` is a key of its own.
 */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([key, value]: [string, unknown]) => {
      if (typeof value === 'object' && value !== null) return keys(value, `${prefix}${key}.`);
      const plural = /^(.+)_(zero|one|two|few|many|other)$/.exec(key);
      return [`${prefix}${plural && `${plural[1]}_other` in tree ? plural[1] : key}`];
    })
    .filter((key, i, all) => all.indexOf(key) === i)
    .sort();
}

/** Plural groups (`key_other` present) that lack one of the language's plural forms. */
function missingPluralForms(tree: object, lang: string, prefix = ''): string[] {
  const forms = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
  return Object.entries(tree).flatMap(([key, value]: [string, unknown]) => {
    if (typeof value === 'object' && value !== null)
      return missingPluralForms(value, lang, `${prefix}${key}.`);
    const base = /^(.+)_other$/.exec(key)?.[1];
    if (base === undefined) return [];
    return forms.filter((form) => !(`${base}_${form}` in tree)).map((form) => `${prefix}${base}_${form}`);
  });
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
    // A count in English reads "1 user", "2 users": both forms wherever a text is plural.
    expect(keys(adminEn)).toContain('admin.usersCount');
    expect(adminEn.admin).toHaveProperty('usersCount_one');
    for (const en of [reportEn, adminEn, lifecycleEn, listEn])
      expect(missingPluralForms(en, 'en')).toEqual([]);
    expect(
      JSON.stringify([reportJa, reportEn, adminJa, adminEn, lifecycleJa, lifecycleEn, listJa, listEn]),
    ).not.toMatch(/:""/);
    expect(Object.keys(jaCodes).sort()).toEqual(Object.keys(enCodes).sort());
  });
});
