import type { Classification } from '../domain/counting.js';
import type { Stage, Taxonomy } from '../domain/taxonomy.js';
import type { Rng } from './rng.js';

const STAGE_JA: Record<Stage, string> = { initial: '第一報', update: '続報', final: '最終報' };

const STAGE_CLOSING: Record<Stage, readonly string[]> = {
  initial: ['詳細は調査中。', '影響範囲を確認中。', '復旧作業に着手した。'],
  update: ['調査の結果、分類を見直した。', '外部専門家による調査を継続中。', '暫定対策を実施した。'],
  final: ['対応を完了し、再発防止策を講じた。', '全面復旧を確認した。', '原因を特定し、監視を強化した。'],
};

function label(list: ReadonlyArray<{ code: string; ja: string }>, code: string): string {
  return list.find((x) => x.code === code)?.ja ?? code;
}

/** A short Japanese title and description built from the classification the line carries. */
export function operatorText(
  taxonomy: Taxonomy,
  stage: Stage,
  org: string,
  c: Classification,
  rng: Rng,
): { title: string; description: string } {
  const d = taxonomy.data;
  const event = label(d.events, c.event);
  const causes = c.causes.map((code) => label(d.causes, code));
  const attack = c.attackType ? label(d.attack_types, c.attackType) : null;
  const head = attack ? `${attack}による${event}` : `${event}（${causes[0] ?? '原因不明'}）`;
  const description =
    `${org}において${event}が発生。推定される原因: ${causes.join('、')}。` +
    (attack ? `攻撃種別: ${attack}。` : 'サイバー攻撃によるものではないと判断。') +
    rng.pick(STAGE_CLOSING[stage]);
  return { title: `【${STAGE_JA[stage]}】${head}`, description };
}

const AGENCY_TOPICS: readonly string[] = [
  '所管分野の事業者におけるシステム障害について',
  '海外製ネットワーク機器の脆弱性情報の共有',
  '関係機関から提供された攻撃元IPアドレス情報',
  '同業他社におけるランサムウェア被害の情報共有',
  '標的型メールの送信元情報について',
];

const CENTER_TOPICS: readonly string[] = [
  'VPN機器の脆弱性を悪用した攻撃に関する注意喚起',
  'DDoS攻撃への対策に関する注意喚起',
  'ランサムウェア被害の増加に関する注意喚起',
  'マルウェアEmotetの感染再拡大に関する注意喚起',
  '長期休暇期間における情報セキュリティ対策について',
  'フィッシングメールに関する注意喚起',
  '国家の関与が疑われる攻撃グループの活動について',
  'クラウドサービスの設定不備による情報漏えいについて',
];

export function agencyText(rng: Rng): { title: string; description: string } {
  const topic = rng.pick(AGENCY_TOPICS);
  return {
    title: `【情報共有】${topic}`,
    description: `関係省庁より${topic}の共有があった。関係事業者へ展開する。`,
  };
}

export function centerTopic(rng: Rng): string {
  return rng.pick(CENTER_TOPICS);
}

export function centerText(topic: string, revised: boolean): { title: string; description: string } {
  return {
    title: `${revised ? '【更新】' : ''}${topic}`,
    description: `${topic}。重要インフラ事業者等に対し、対策の実施状況の確認を依頼する。${revised ? '対象製品の追加に伴い更新。' : ''}`,
  };
}
