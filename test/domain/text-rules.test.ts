import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findForbiddenCharacter } from '../../src/domain/text-rules.js';

describe('the text rule', () => {
  it('finds the first refused character, its 1-based position in characters and its code point', () => {
    expect(findForbiddenCharacter('ok 🔥 \u202E x')).toMatchObject({
      code: 'forbidden_character',
      kind: 'bidi_control',
      position: 6,
      codePoint: 'U+202E',
    });
    expect(findForbiddenCharacter('\uDC00')).toMatchObject({ kind: 'lone_surrogate', codePoint: 'U+DC00' });
    expect(findForbiddenCharacter('end \uD83D')).toMatchObject({ kind: 'lone_surrogate', position: 5 });
    expect(findForbiddenCharacter('a\u200Bb')).toMatchObject({ kind: 'zero_width', position: 2 });
    expect(findForbiddenCharacter('a\u0085')).toMatchObject({ code: 'control_character', kind: 'control' });
    expect(findForbiddenCharacter('a\nb')).toMatchObject({ code: 'control_character', kind: 'line_break' });
    expect(findForbiddenCharacter('a\u2028b')).toMatchObject({ kind: 'line_break' });
  });

  it('multi-line text keeps tab, CR, LF and the Unicode line and paragraph separators, nothing else', () => {
    expect(findForbiddenCharacter('a\tb\r\nc\u2028d\u2029e', true)).toBeNull();
    expect(findForbiddenCharacter('a\u000Bb', true)).toMatchObject({ kind: 'control' });
    expect(findForbiddenCharacter('a\n\u2066b', true)).toMatchObject({ kind: 'bidi_control', position: 3 });
  });

  it('accepts ordinary text of any script, emoji and supplementary-plane kanji', () => {
    for (const ok of ['重要インフラ 第一報', '𠮷野家', '👍🏽', 'Ünïcödé', 'עברית', 'العربية', '']) {
      expect(findForbiddenCharacter(ok), ok).toBeNull();
    }
  });

  it('never accepts a string that is not well-formed UTF-16 (which SQLite would store as invalid UTF-8)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const wellFormed = !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
        if (!wellFormed) expect(findForbiddenCharacter(s, true)).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
