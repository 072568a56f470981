import { describe, expect, it } from 'vitest';
import {
  fieldMessage,
  japaneseFieldMessage,
  localizeDetails,
} from '../../../src/platform/http/field-messages.js';

describe('detail messages in the request language', () => {
  it('words each field error code in Japanese, with the parameters it has', () => {
    expect(japaneseFieldMessage('too_long', { origin: 'string', maximum: 200 })).toBe(
      '200文字以内で入力してください',
    );
    expect(japaneseFieldMessage('too_short', { origin: 'array', minimum: 1 })).toBe(
      '1件以上指定してください',
    );
    expect(japaneseFieldMessage('too_long', { origin: 'number', maximum: 200 })).toBe(
      '200以下の値にしてください',
    );
    expect(japaneseFieldMessage('invalid_type', { expected: 'string' })).toBe('文字列で指定してください');
    expect(japaneseFieldMessage('unknown_field', { keys: ['colour'] })).toBe('使用できない項目です: colour');
    const many = Array.from({ length: 15 }, (_, i) => `c${i}`);
    expect(japaneseFieldMessage('unknown_code', { values: many })).toMatch(/c11 ほか3件$/);
    expect(japaneseFieldMessage('forbidden_character', { position: 3, code_point: 'U+202E' })).toBe(
      '3文字目に使用できない文字（U+202E）があります',
    );
    expect(japaneseFieldMessage('something_new')).toBe('値が正しくありません');
  });

  it('keeps the English message as written for English', () => {
    expect(fieldMessage('required', 'choose a reason', 'en')).toBe('choose a reason');
    expect(fieldMessage('required', 'choose a reason', 'ja')).toBe('必須の項目です');
  });

  it('rewords every message in the details at any depth for Japanese, and nothing else', () => {
    const details = {
      errors: [
        { line: 3, field: 'title', code: 'required', message: 'title is required' },
        { line: 4, field: 'x', code: 'unknown_field', message: 'unknown column x' },
      ],
      retry_after_seconds: 2,
    };
    expect(localizeDetails(details, 'ja')).toEqual({
      errors: [
        { line: 3, field: 'title', code: 'required', message: '必須の項目です' },
        { line: 4, field: 'x', code: 'unknown_field', message: '使用できない項目です' },
      ],
      retry_after_seconds: 2,
    });
    expect(localizeDetails(details, 'en')).toBe(details);
    expect(localizeDetails(undefined, 'ja')).toBeUndefined();
  });
});
