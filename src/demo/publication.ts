import type { Actor } from '../access/index.js';
import type { Quarter } from '../domain/fiscal-calendar.js';
import type { Services } from '../services.js';
import { SITUATION_ITEMS } from './situation-items.js';

/**
 * The demo's quarterly document: FY2023 Q4 (the published tables' last quarter) with situational
 * items citing real public sources, and lessons written for the demo (anonymised, so they pass the
 * check; one analyst wrote them, another approved them); for the quarter now running, candidates
 * from the demo's advisories and a lesson in review that the anonymity check stops.
 */

export const DEMO_DOCUMENT = { fiscalYear: 2023, quarter: 4 as Quarter };

/** What else names some demo organisations: the anonymity check looks for these too. */
const IDENTIFIERS: ReadonlyArray<{ organization: string; kind: string; value: string }> = [
  { organization: '東雲電力株式会社', kind: 'alias', value: 'シノノメ電力' },
  { organization: '東雲電力株式会社', kind: 'alias', value: 'Shinonome Power' },
  { organization: '東雲電力株式会社', kind: 'domain', value: 'shinonome-power.example' },
  { organization: '東雲電力株式会社', kind: 'host', value: 'vpn01.shinonome-power.example' },
  { organization: '東雲電力株式会社', kind: 'address', value: '203.0.113.24' },
  { organization: '東雲電力株式会社', kind: 'distinctive', value: '東雲湾岸発電所' },
  { organization: '白鷺銀行', kind: 'alias', value: 'しらさぎ銀' },
  { organization: '白鷺銀行', kind: 'domain', value: 'shirasagi-bank.example' },
  { organization: '浜風国際空港株式会社', kind: 'distinctive', value: '県内唯一の国際空港' },
];

const LESSONS = [
  {
    heading: {
      ja: 'VPN機器の脆弱性が侵入口となった事例が続いている',
      en: 'VPN appliances keep serving as the way in',
    },
    body: {
      ja: '本四半期に報告されたランサムウェア被害の多くで、修正プログラムが公開済みのVPN機器の脆弱性が侵入口となっていた。機器の更新が遅れた理由としては、保守契約の範囲が不明確であったこと、停止を伴う作業の調整が付かなかったことが挙げられている。外部に公開している機器の一覧を保ち、重大な脆弱性の公表から適用までの期限をあらかじめ定めておくことが有効である。',
      en: 'In most of the ransomware cases reported this quarter, the way in was a vulnerability of a VPN appliance for which a fix had already been published. The updates were late because the scope of maintenance contracts was unclear and because downtime could not be agreed on in time. Keeping a list of internet-facing devices, and deciding in advance how soon a critical fix must be applied after it is announced, helps.',
    },
    attack: 'ransomware',
  },
  {
    heading: {
      ja: 'DDoS攻撃への備えはサービスの重要度に応じて',
      en: 'Prepare for DDoS in proportion to the importance of each service',
    },
    body: {
      ja: 'DDoS攻撃によりウェブサイトが閲覧しにくくなった事例が複数あったが、あらかじめサービスごとの重要度を整理し、重要なサービスについて通信事業者やCDN事業者の対策を契約していた事業者では、影響は短時間にとどまった。全てのサービスを同じ水準で守るのではなく、止まった場合の影響に応じて対策の水準を決めておくことが重要である。',
      en: 'Several websites became hard to reach under DDoS attacks. Operators that had ranked their services by importance, and contracted mitigation from their carrier or a CDN for the important ones, saw the effect last only a short time. Rather than protecting every service to the same level, decide the level by what an outage would cost.',
    },
    attack: 'ddos',
  },
  {
    heading: {
      ja: '検知から経営層への報告、対策本部の設置までの時間',
      en: 'The time from detection to management and to a response headquarters',
    },
    body: {
      ja: '検知から経営層への報告と対策本部の設置までが数十分で済んだ事例がある一方、担当部署内での確認に時間を要し、数時間を要した事例もあった。報告の判断基準と連絡経路をあらかじめ定め、夜間や休日を含めて訓練しておくことで、初動の遅れを防ぐことができる。',
      en: 'In one case detection was reported to management and a response headquarters was set up within tens of minutes; in another, checks within the team took hours. Criteria for escalation and the contact path, decided beforehand and exercised at night and on holidays too, prevent a slow first response.',
    },
    attack: null,
  },
] as const;

export async function actorFor(services: Services, email: string): Promise<Actor> {
  const user = await services.database.db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organization_id')
    .select(['users.id', 'users.organization_id', 'organizations.name'])
    .where('users.email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    userId: user.id,
    email,
    organizationId: user.organization_id,
    organizationName: user.name,
    role: 'center_analyst',
    sectors: [],
  };
}

/** Some incidents of the quarter with the attack type (or any operator report), for a lesson's links. */
async function incidentsFor(
  services: Services,
  fy: number,
  quarter: Quarter,
  attack: string | null,
): Promise<number[]> {
  let query = services.database.db
    .selectFrom('incidents')
    .select('id')
    .where('channel', '=', 'operator_report')
    .where('state', '=', 'received')
    .where('month', 'in', services.calendar.monthsOf(fy, quarter));
  if (attack) query = query.where('attack_type', '=', attack);
  const rows = await query.orderBy('id').limit(3).execute();
  return rows.map((r) => r.id);
}

export async function loadDemoPublication(
  services: Services,
  authorEmail: string,
  approverEmail: string,
  now: Date,
): Promise<void> {
  const author = await actorFor(services, authorEmail);
  const approver = await actorFor(services, approverEmail);
  const orgs = await services.database.db.selectFrom('organizations').select(['id', 'name']).execute();
  const idOf = new Map(orgs.map((o) => [o.name, o.id]));
  const identifiers = IDENTIFIERS.filter((i) => idOf.has(i.organization)).map((i) => ({
    organization_id: idOf.get(i.organization)!,
    kind: i.kind,
    value: i.value,
  }));
  if (identifiers.length > 0)
    await services.database.db.insertInto('organization_identifiers').values(identifiers).execute();

  for (const item of SITUATION_ITEMS) await services.situation.create(author, item);
  const { fiscalYear: fy, quarter } = DEMO_DOCUMENT;
  for (const lesson of LESSONS) {
    const created = await services.lessons.create(author, {
      fiscal_year: fy,
      quarter,
      heading: lesson.heading,
      body: lesson.body,
      tlp: 'CLEAR',
      incident_ids: await incidentsFor(services, fy, quarter, lesson.attack),
    });
    await services.lessons.act(author, created.id, 'submit', undefined);
    await services.lessons.act(approver, created.id, 'approve', undefined);
    await services.lessons.act(approver, created.id, 'publish', undefined);
  }

  // The running quarter: candidates from the center's advisories, and a lesson the check stops.
  const current = services.calendar.periodOf(now);
  await services.situation.fromAdvisories(author, current.fiscalYear, current.quarter);
  const linked = (await incidentsFor(services, current.fiscalYear, current.quarter, null)).slice(0, 1);
  const shinonome = await services.database.db
    .selectFrom('incidents')
    .select('id')
    .where('organization_id', '=', idOf.get('東雲電力株式会社') ?? -1)
    .orderBy('id', 'desc')
    .limit(1)
    .execute();
  const review = await services.lessons.create(author, {
    fiscal_year: current.fiscalYear,
    quarter: current.quarter,
    heading: { ja: '委託先経由の侵入に備える', en: 'Prepare for intrusions through contractors' },
    body: {
      ja: 'シノノメ電力では、保守委託先が使うvpn01.shinonome-power.exampleのアカウントが不正に使われた。委託先のアカウントにも多要素認証を求め、使わない期間は無効にしておくことが有効である。',
      en: 'At one operator a maintenance contractor’s VPN account was misused. Require multi-factor authentication of contractors’ accounts too, and disable them while they are not needed.',
    },
    tlp: 'CLEAR',
    incident_ids: [...linked, ...shinonome.map((s) => s.id)],
  });
  await services.lessons.act(author, review.id, 'submit', undefined);
}
