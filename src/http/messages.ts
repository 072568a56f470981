import type { ErrorCode } from '../errors.js';

export type Lang = 'ja' | 'en';

/** Top-level error messages in both languages; details stay machine-oriented. */
const MESSAGES: Record<ErrorCode, Record<Lang, string>> = {
  validation_failed: { ja: '入力内容に誤りがあります', en: 'the request is not valid' },
  malformed_json: { ja: 'JSON の形式が正しくありません', en: 'the body is not valid JSON' },
  body_too_large: { ja: '送信データが大きすぎます', en: 'the body is too large' },
  body_too_deep: { ja: 'JSON の入れ子が深すぎます', en: 'the JSON is nested too deeply' },
  unsupported_media_type: { ja: 'この形式のデータは受け付けていません', en: 'unsupported content type' },
  unauthenticated: {
    ja: '認証が必要です（Authorization: Bearer トークン）',
    en: 'authentication required (Authorization: Bearer token)',
  },
  forbidden: { ja: 'この操作は許可されていません', en: 'not allowed for your role' },
  not_found: { ja: '見つかりません', en: 'not found' },
  route_not_found: { ja: 'そのURLはありません', en: 'no such route' },
  method_not_allowed: { ja: 'このメソッドは使えません', en: 'method not allowed' },
  ref_channel_conflict: {
    ja: 'この参照番号は別の形態の記録に使われています',
    en: 'this ref belongs to a record of another channel',
  },
  organization_mismatch: {
    ja: '自組織についてのみ報告できます',
    en: 'you can report only for your own organisation',
  },
  unknown_organization: { ja: '組織が登録されていません', en: 'unknown organisation' },
  idempotency_key_reused: {
    ja: 'この Idempotency-Key は別の内容のリクエストに使われています',
    en: 'this Idempotency-Key was used for a different request',
  },
  idempotency_in_progress: {
    ja: '同じ Idempotency-Key のリクエストを処理中です。しばらくして再試行してください',
    en: 'a request with this Idempotency-Key is still in progress; retry shortly',
  },
  conflict: { ja: '現在の状態と矛盾します', en: 'conflicts with the current state' },
  precondition_failed: {
    ja: '他の利用者が先に更新しました。再読み込みしてください',
    en: 'changed by someone else; reload and try again',
  },
  import_failed: {
    ja: '取り込みに失敗しました。何も取り込まれていません',
    en: 'import failed; nothing was imported',
  },
  database_unavailable: {
    ja: 'データベースに接続できません。しばらくして再試行してください',
    en: 'database unavailable; retry later',
  },
  internal_error: { ja: '内部エラーが発生しました', en: 'internal error' },
};

export function languageOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'ja';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'ja';
}

export function messageFor(code: ErrorCode, lang: Lang): string {
  return MESSAGES[code][lang];
}
