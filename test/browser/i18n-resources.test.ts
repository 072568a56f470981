import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/platform/errors.js';
import en from '../../web/src/shared/i18n/en.json' with { type: 'json' };
import ja from '../../web/src/shared/i18n/ja.json' with { type: 'json' };
import landingEn from '../../web/src/shared/i18n/landing.en.json' with { type: 'json' };
import landingJa from '../../web/src/shared/i18n/landing.ja.json' with { type: 'json' };

/** Every API error code has a message in the UI: the compiler names a code added without one. */
const jaErrors: Record<ErrorCode, string> = ja.errors;
const enErrors: Record<ErrorCode, string> = en.errors;

/** The keys of a resource tree; English plural forms (`_one`, `_other`) count as their base key. */
function keys(tree: object, prefix = ''): string[] {
  return Object.entries(tree)
    .flatMap(([key, value]: [string, unknown]) =>
      typeof value === 'object' && value !== null
        ? keys(value, `${prefix}${key}.`)
        : [`${prefix}${key.replace(/_(one|other)$/, '')}`],
    )
    .filter((key, i, all) => all.indexOf(key) === i)
    .sort();
}

describe('the web UI’s ja and en resources', () => {
  it('have the same keys and no empty text', () => {
    expect(keys(en)).toEqual(keys(ja));
    for (const key of keys(ja)) expect(key).not.toMatch(/^\.|\.\./);
    const texts = JSON.stringify([ja, en]).match(/:""/g);
    expect(texts).toBeNull();
    expect(Object.keys(jaErrors).sort()).toEqual(Object.keys(enErrors).sort());
  });

  it('the first screen’s and the charts’ texts are in both languages, apart from the shared ones', () => {
    expect(keys(landingEn)).toEqual(keys(landingJa));
    expect(JSON.stringify([landingJa, landingEn]).match(/:""/g)).toBeNull();
    const shared = new Set(keys(ja));
    expect(keys(landingJa).filter((key) => shared.has(key))).toEqual([]);
  });
});
