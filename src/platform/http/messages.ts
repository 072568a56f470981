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
  bad_url: {
    ja: 'URL の形式が正しくありません（不正なエンコードまたは長すぎる値）',
    en: 'malformed URL (bad percent-encoding or a path segment too long)',
  },
  method_not_allowed: { ja: 'このメソッドは使えません', en: 'method not allowed' },
  ref_channel_conflict: {
    ja: 'この参照番号は別の形態の記録に使われています',
    en: 'this ref belongs to a record of another sharing channel',
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
  received_at_out_of_range: {
    ja: '受付日時が受け付けられる範囲外です（運用開始日より前、または未来の日時）',
    en: 'received_at is outside the accepted range (before the earliest date, or in the future)',
  },
  time_in_future: {
    ja: '発生日時・検知日時に未来の日時は指定できません',
    en: 'occurred_at and detected_at cannot be in the future',
  },
  detected_before_occurred: {
    ja: '検知日時が発生日時より前になっています',
    en: 'detected_at is before occurred_at',
  },
  received_before_detected: {
    ja: '検知日時が受付日時より後になっています（検知してから報告を受け付けます）',
    en: 'detected_at is after the report was received (an incident is reported after it is detected)',
  },
  received_before_occurred: {
    ja: '発生日時が受付日時より後になっています',
    en: 'occurred_at is after the report was received',
  },
  sector_mismatch: {
    ja: '自組織の分野についてのみ報告できます',
    en: "you can report only under your organisation's sectors",
  },
  incident_final: {
    ja: '最終報を受け付けた事案です。センターが再開するまで報告を追加できません',
    en: 'the final report closed this incident; the center must reopen it before another report',
  },
  incident_rejected: {
    ja: 'センターが不受理とした事案には報告を追加できません',
    en: 'the center rejected this incident; reports to it are refused',
  },
  incident_withdrawn: {
    ja: '取り下げられた事案には報告を追加できません',
    en: 'this incident was withdrawn; reports to it are refused',
  },
  lifecycle_conflict: {
    ja: '事案の現在の状態ではこの操作はできません',
    en: 'this action does not apply to the incident in its current state',
  },
  import_failed: {
    ja: '取り込みに失敗しました。何も取り込まれていません',
    en: 'import failed; nothing was imported',
  },
  invalid_credentials: {
    ja: 'メールアドレスまたはパスワードが正しくありません',
    en: 'wrong email or password',
  },
  account_locked: {
    ja: 'ログインの失敗が続いたため一時的にロックされています。しばらくして再試行してください',
    en: 'too many failed sign-ins; the account is locked for a while',
  },
  rate_limited: {
    ja: 'リクエストが多すぎます。しばらくして再試行してください',
    en: 'too many requests; retry later',
  },
  mfa_required: {
    ja: '二要素認証（ワンタイムコード）の入力が必要です',
    en: 'the second factor (one-time code) is required',
  },
  mfa_invalid: { ja: 'ワンタイムコードが正しくありません', en: 'wrong one-time code' },
  mfa_not_enrolled: {
    ja: '二要素認証が設定されていません。先に設定してください',
    en: 'no second factor is set up yet; set one up first',
  },
  csrf_failed: {
    ja: '不正な送信元からのリクエストは受け付けられません',
    en: 'request refused: missing or wrong CSRF token or cross-site origin',
  },
  password_change_required: {
    ja: '一時パスワードです。先に新しいパスワードを設定してください',
    en: 'this is a temporary password: set a new password first',
  },
  approval_own_request: {
    ja: '自分の申請は承認できません（別の管理者の承認が必要です）',
    en: 'you cannot approve your own request: a second admin must',
  },
  approval_expired: { ja: 'この申請は期限切れです', en: 'this request has expired' },
  approval_decided: { ja: 'この申請はすでに処理されています', en: 'this request has already been decided' },
  weak_password: {
    ja: 'パスワードは12文字以上256文字以下にしてください',
    en: 'a password has 12 to 256 characters',
  },
  period_not_ended: {
    ja: 'この四半期はまだ終わっていないため締められません',
    en: 'this quarter has not ended yet and cannot be closed',
  },
  period_already_closed: { ja: 'この四半期は既に締められています', en: 'this quarter is already closed' },
  period_not_closed: { ja: 'この四半期は締められていません', en: 'this quarter is not closed' },
  time_out_of_order: {
    ja: 'インシデントの日時の前後関係が正しくありません（例：認知が発生より前）',
    en: 'the incident’s times are out of order (e.g. aware before it occurred)',
  },
  lesson_state: {
    ja: 'この状態の教訓にはその操作はできません',
    en: 'the lesson is not in a state that allows this',
  },
  lesson_own_approval: {
    ja: '自分が書いた教訓は承認できません',
    en: 'the author of a lesson may not approve it',
  },
  lesson_not_anonymous: {
    ja: '事業者を特定できる記述が含まれています（findings を参照）',
    en: 'the text could identify an organisation (see findings)',
  },
  feed_unreadable: {
    ja: 'フィードを読み込めません（RSS または Atom ではないか、取得できません）',
    en: 'the feed could not be read (not RSS or Atom, or not reachable)',
  },
  unknown_regime: {
    ja: 'そのような報告制度はありません',
    en: 'there is no such reporting regime',
  },
  unknown_stage: {
    ja: 'その報告制度にそのような段階はありません',
    en: 'the regime has no such stage',
  },
  obligation_not_confirmed: {
    ja: '先にこの報告義務を確認してください',
    en: 'confirm this reporting duty first',
  },
  consent_required: {
    ja: '報告組織がこの報告のセンターへの共有に同意していません',
    en: 'the reporting organisation has not agreed to share this report with the center',
  },
  regime_invalid: {
    ja: '報告制度の定義に誤りがあります',
    en: 'the regime definition is not valid',
  },
  quarter_not_published: {
    ja: '締められていない四半期の公開版は作成できません',
    en: 'a public edition is made only of a closed quarter',
  },
  database_unavailable: {
    ja: 'データベースに接続できません。しばらくして再試行してください',
    en: 'database unavailable; retry later',
  },
  not_acceptable: {
    ja: '要求された形式（Accept）では応答できません',
    en: 'none of the accepted media types can be served',
  },
  unprocessable: { ja: '内容を処理できません', en: 'the content could not be processed' },
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
