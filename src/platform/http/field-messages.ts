import type { Lang } from './messages.js';

/**
 * The messages of an error answer's details, in the request's language. The details are written
 * where the error arises, in English (zod's issue messages, the text rule, a service's own field
 * errors); a Japanese request gets each detail's message rebuilt from its stable code and the
 * issue's parameters (the length limit, the allowed codes, the refused character), so the whole
 * answer reads in one language. An English request keeps the English messages as written: they
 * are the most specific ones.
 */

/** The parameters of an issue a message may name: zod's (maximum, values, ...) or a field error's. */
export interface IssueParams {
  origin?: unknown;
  expected?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  values?: unknown;
  keys?: unknown;
  position?: unknown;
  code_point?: unknown;
  /** The English message as written (an invalid indicator's names which one and why). */
  message?: unknown;
}

const TYPES_JA: Record<string, string> = {
  string: '文字列',
  number: '数値',
  int: '整数',
  boolean: '真偽値（true / false）',
  array: '配列',
  object: 'オブジェクト',
};

/** At most this many allowed codes are listed (the sectors and causes run to dozens). */
const MAX_LISTED = 12;

function listed(values: unknown): string | null {
  if (!Array.isArray(values) || values.length === 0) return null;
  const shown = values.slice(0, MAX_LISTED).map(String).join(', ');
  return values.length > MAX_LISTED ? `${shown} ほか${values.length - MAX_LISTED}件` : shown;
}

function sized(origin: unknown, limit: unknown, kind: 'min' | 'max'): string | null {
  if (typeof limit !== 'number' && typeof limit !== 'bigint') return null;
  const n = String(limit);
  if (origin === 'string')
    return kind === 'max' ? `${n}文字以内で入力してください` : `${n}文字以上で入力してください`;
  if (origin === 'array' || origin === 'set')
    return kind === 'max' ? `${n}件以内で指定してください` : `${n}件以上指定してください`;
  if (origin === 'number' || origin === 'int' || origin === 'bigint')
    return kind === 'max' ? `${n}以下の値にしてください` : `${n}以上の値にしてください`;
  return null;
}

function character(params: IssueParams, what: string): string {
  const at = typeof params.position === 'number' ? `${params.position}文字目に` : '';
  const code = typeof params.code_point === 'string' ? `（${params.code_point}）` : '';
  return `${at}使用できない${what}${code}があります`;
}

/** The Japanese message of a field error code (see FieldErrorCode in src/domain/report-line.ts). */
export function japaneseFieldMessage(code: string, params: IssueParams = {}): string {
  switch (code) {
    case 'required':
      return '必須の項目です';
    case 'invalid_type': {
      const type = typeof params.expected === 'string' ? TYPES_JA[params.expected] : undefined;
      return type ? `${type}で指定してください` : '値の型が正しくありません';
    }
    case 'too_short':
      return sized(params.origin, params.minimum, 'min') ?? '短すぎます';
    case 'too_long':
      return sized(params.origin, params.maximum, 'max') ?? '長すぎます';
    case 'unknown_code': {
      const values = listed(params.values);
      return values ? `次のいずれかを指定してください: ${values}` : '登録されていない値です';
    }
    case 'unknown_field': {
      const keys = listed(params.keys);
      return keys ? `使用できない項目です: ${keys}` : '使用できない項目です';
    }
    case 'duplicate_value':
      return '同じ値が重複しています';
    case 'time_without_offset':
      return 'タイムゾーンのない日時は曖昧です。Z または +09:00 を付けてください';
    case 'invalid_time':
      return 'ISO 8601 形式の日時（例: 2024-02-29T09:30:00+09:00）ではありません';
    case 'received_at_out_of_range':
      return '受付日時が受け付けられる範囲外です（運用開始日より前、または未来の日時）';
    case 'not_allowed_for_channel':
      return '事業者からの報告（operator_report）でのみ指定できます';
    case 'control_character':
      return character(params, '制御文字');
    case 'forbidden_character':
      return character(params, '文字');
    case 'invalid_indicator': {
      // The English message names the indicator and the reason (src/domain/indicator-input.ts).
      const english = typeof params.message === 'string' ? `（${params.message}）` : '';
      return `指標の値がその種類に合っていません${english}`;
    }
    case 'malformed_csv':
      return 'CSV の形式が正しくありません';
    case 'malformed_json':
      return 'JSON の形式が正しくありません';
    default:
      return '値が正しくありません';
  }
}

/** A detail's message in `lang`: `english` as written for English, rebuilt from its code for Japanese. */
export function fieldMessage(code: string, english: string, lang: Lang, params: IssueParams = {}): string {
  return lang === 'en' ? english : japaneseFieldMessage(code, { ...params, message: english });
}

/**
 * Every `message` in an error answer's details, in `lang`: an object with a string `message`
 * takes the message of its `code` (its own position and code point as parameters), at any depth
 * (an import's per-line errors sit in a list under the details).
 */
export function localizeDetails(details: unknown, lang: Lang): unknown {
  if (lang === 'en' || details === null || typeof details !== 'object') return details;
  if (Array.isArray(details)) return details.map((d) => localizeDetails(d, lang));
  const entries = Object.entries(details as Record<string, unknown>).map(([key, value]) => {
    if (key !== 'message' || typeof value !== 'string') return [key, localizeDetails(value, lang)];
    const code = (details as { code?: unknown }).code;
    return [key, japaneseFieldMessage(typeof code === 'string' ? code : '', details)];
  });
  return Object.fromEntries(entries);
}
