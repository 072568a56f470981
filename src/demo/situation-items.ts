import type { SituationItemBody } from '../modules/situation/situation.schema.js';

/**
 * Part 1 of the demo's FY2023 Q4 document (January to March 2024): events of that quarter from
 * public sources, summarised for the demo. The URLs are the public pages of the kind the seed
 * cites; the access dates are the demo's own. One source (the Volt Typhoon advisory) is cited by
 * two items, so the document shows it keeping one footnote number.
 */

const ACCESSED = '2024-04-05';
const VOLT_TYPHOON = {
  publisher: 'CISA',
  title:
    'PRC State-Sponsored Actors Compromise and Maintain Persistent Access to U.S. Critical Infrastructure (AA24-038A)',
  published_on: '2024-02-07',
  url: 'https://www.cisa.gov/news-events/cybersecurity-advisories/aa24-038a',
  accessed_on: ACCESSED,
};
const IVANTI_JPCERT = {
  publisher: 'JPCERT/CC',
  title: 'Ivanti Connect SecureおよびIvanti Policy Secureの脆弱性（CVE-2023-46805等）に関する注意喚起',
  published_on: '2024-01-11',
  url: 'https://www.jpcert.or.jp/at/2024/at240001.html',
  accessed_on: ACCESSED,
};
const none = { sectors: [], countries: [], groups: [], cves: [] };

export const SITUATION_ITEMS: SituationItemBody[] = [
  {
    section: 'foreign_policy',
    event_date: '2024-02-26',
    title: {
      ja: 'NISTがサイバーセキュリティフレームワーク2.0を公表',
      en: 'NIST releases the Cybersecurity Framework 2.0',
    },
    summary: {
      ja: '米国国立標準技術研究所（NIST）は、サイバーセキュリティフレームワークの改訂版（CSF 2.0）を公表した。対象を重要インフラ以外の組織にも広げ、新たに「統治（Govern）」の機能を加えた。',
      en: 'The US National Institute of Standards and Technology published CSF 2.0, widening the framework beyond critical infrastructure and adding a new Govern function.',
    },
    tags: { ...none, countries: ['US'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      {
        publisher: 'NIST',
        title: 'NIST Releases Version 2.0 of Landmark Cybersecurity Framework',
        published_on: '2024-02-26',
        url: 'https://www.nist.gov/news-events/news/2024/02/nist-releases-version-20-landmark-cybersecurity-framework',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'foreign_policy',
    event_date: '2024-02-07',
    title: {
      ja: '米国等が重要インフラへの潜伏活動について共同で注意喚起',
      en: 'The US and partners warn jointly of actors pre-positioned in critical infrastructure',
    },
    summary: {
      ja: '米国CISA等は、同盟国の機関と共同で、重要インフラのネットワークに長期間潜伏し、有事に破壊的な活動を行う準備をしているとみられる攻撃者について注意喚起を公表し、重要インフラ事業者に対策の実施を求めた。',
      en: 'CISA and allied agencies jointly warned of actors keeping long-term access to critical-infrastructure networks, apparently to prepare disruptive action in a crisis, and asked operators to act.',
    },
    tags: { ...none, countries: ['US'], sectors: ['electricity', 'water', 'information_communication'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [VOLT_TYPHOON],
  },
  {
    section: 'foreign_ci_incidents',
    event_date: '2024-02-21',
    title: {
      ja: '米国の医療決済事業者がランサムウェア被害',
      en: 'Ransomware hits a US healthcare payment processor',
    },
    summary: {
      ja: '米国の医療費の請求・決済を担う事業者がランサムウェアの被害を受け、全米の医療機関や薬局で請求業務に長期間の支障が生じた。米国保健福祉省は、医療機関への影響を受けて調査を開始した。',
      en: 'A US processor of healthcare claims and payments was hit by ransomware; billing at hospitals and pharmacies across the country was disrupted for weeks. The Department of Health and Human Services opened an investigation.',
    },
    tags: { ...none, countries: ['US'], sectors: ['medical'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      {
        publisher: 'U.S. Department of Health and Human Services',
        title:
          'HHS Office for Civil Rights Issues Letter and Opens Investigation of Change Healthcare Cyberattack',
        published_on: '2024-03-13',
        url: 'https://www.hhs.gov/about/news/2024/03/13/hhs-office-civil-rights-issues-letter-opens-investigation-change-healthcare-cyberattack.html',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'foreign_ci_incidents',
    event_date: '2024-02-20',
    title: {
      ja: '各国の法執行機関がランサムウェア攻撃グループLockBitの基盤を停止',
      en: 'Law enforcement takes down the infrastructure of the LockBit ransomware group',
    },
    summary: {
      ja: '欧州刑事警察機構（Europol）等、各国の法執行機関は共同作戦により、ランサムウェア攻撃グループLockBitのサーバ等を押収し、復号ツールの提供を開始した。日本の警察庁も作戦に参加した。',
      en: 'In a joint operation, Europol and law enforcement of several countries seized servers of the LockBit ransomware group and began offering decryption tools; Japan’s National Police Agency took part.',
    },
    tags: { ...none, countries: ['EU'], groups: ['LockBit'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      {
        publisher: 'Europol',
        title: 'Law enforcement disrupt world’s biggest ransomware operation',
        published_on: '2024-02-20',
        url: 'https://www.europol.europa.eu/media-press/newsroom/news/law-enforcement-disrupt-worlds-biggest-ransomware-operation',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'foreign_state_groups',
    event_date: '2024-02-07',
    title: { ja: 'Volt Typhoonによる重要インフラへの侵入', en: 'Volt Typhoon in critical infrastructure' },
    summary: {
      ja: '中国の国家支援を受けているとされる攻撃グループVolt Typhoonが、通信、エネルギー、水道等の重要インフラのネットワークに侵入し、正規のツールを悪用して検知を逃れながら活動していたことが明らかにされた。',
      en: 'Volt Typhoon, a group said to be sponsored by the Chinese state, was shown to have entered communications, energy and water networks, living off legitimate tools to avoid detection.',
    },
    tags: { ...none, countries: ['CN'], groups: ['Volt Typhoon'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [VOLT_TYPHOON],
  },
  {
    section: 'foreign_state_groups',
    event_date: '2024-01-19',
    title: {
      ja: 'Midnight BlizzardによるIT企業の電子メールへの不正アクセス',
      en: 'Midnight Blizzard reads the e-mail of an IT company',
    },
    summary: {
      ja: 'ロシアの国家支援を受けているとされる攻撃グループMidnight Blizzardが、パスワードスプレー攻撃により大手IT企業の社内の電子メールに不正にアクセスしたことが公表された。',
      en: 'Midnight Blizzard, a group said to be sponsored by the Russian state, was reported to have read internal e-mail of a large IT company after a password-spray attack.',
    },
    tags: { ...none, countries: ['RU'], groups: ['Midnight Blizzard'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      {
        publisher: 'Microsoft Security Response Center',
        title: 'Microsoft Actions Following Attack by Nation State Actor Midnight Blizzard',
        published_on: '2024-01-19',
        url: 'https://msrc.microsoft.com/blog/2024/01/microsoft-actions-following-attack-by-nation-state-actor-midnight-blizzard/',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'domestic_ci_incidents',
    event_date: '2024-01-11',
    title: {
      ja: 'VPN製品の脆弱性を悪用する攻撃について注意喚起',
      en: 'Warning of attacks exploiting VPN product vulnerabilities',
    },
    summary: {
      ja: 'JPCERT/CCは、Ivanti Connect Secure等の脆弱性（CVE-2023-46805、CVE-2024-21887）を悪用する攻撃が確認されているとして、緩和策の適用と侵害の有無の確認を呼びかけた。国内の重要インフラ事業者からも関連する報告があった。',
      en: 'JPCERT/CC warned that vulnerabilities of Ivanti Connect Secure and related products (CVE-2023-46805, CVE-2024-21887) were being exploited and urged mitigation and checks for compromise; Japanese operators reported related cases.',
    },
    tags: { ...none, countries: ['JP'], cves: ['CVE-2023-46805', 'CVE-2024-21887'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      IVANTI_JPCERT,
      {
        publisher: 'CISA',
        title: 'ED 24-01: Mitigate Ivanti Connect Secure and Ivanti Policy Secure Vulnerabilities',
        published_on: '2024-01-19',
        url: 'https://www.cisa.gov/news-events/directives/ed-24-01-mitigate-ivanti-connect-secure-and-ivanti-policy-secure-vulnerabilities',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'domestic_other',
    event_date: '2024-03-08',
    title: {
      ja: '重要インフラのサイバーセキュリティに係る行動計画の改定',
      en: 'The Action Plan for the cybersecurity of critical infrastructure is revised',
    },
    summary: {
      ja: 'サイバーセキュリティ戦略本部は、重要インフラのサイバーセキュリティに係る行動計画を改定し、重要インフラ分野に「港湾」を加えた。',
      en: 'The Cybersecurity Strategic Headquarters revised the Action Plan for the cybersecurity of critical infrastructure, adding ports as a critical-infrastructure sector.',
    },
    tags: { ...none, countries: ['JP'], sectors: ['port'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      {
        publisher: '内閣サイバーセキュリティセンター',
        title: '重要インフラのサイバーセキュリティに係る行動計画',
        published_on: '2024-03-08',
        url: 'https://www.nisc.go.jp/policy/group/infra/index.html',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'technology_trends',
    event_date: '2024-01-24',
    title: {
      ja: 'IPAが「情報セキュリティ10大脅威 2024」を公表',
      en: 'IPA publishes its ten major security threats of 2024',
    },
    summary: {
      ja: '情報処理推進機構（IPA）は「情報セキュリティ10大脅威 2024」を公表した。組織編ではランサムウェアによる被害が引き続き1位となり、サプライチェーンの弱点を悪用した攻撃が2位となった。',
      en: 'IPA published its list of the ten major information-security threats of 2024; for organisations, ransomware stayed first and attacks through weak points of the supply chain came second.',
    },
    tags: { ...none, countries: ['JP'] },
    tlp: 'CLEAR',
    state: 'accepted',
    sources: [
      {
        publisher: '独立行政法人情報処理推進機構',
        title: '情報セキュリティ10大脅威 2024',
        published_on: '2024-01-24',
        url: 'https://www.ipa.go.jp/security/10threats/10threats2024.html',
        accessed_on: ACCESSED,
      },
    ],
  },
  {
    section: 'domestic_ci_incidents',
    event_date: '2024-03-15',
    title: {
      ja: '（センター内部）ある事業者のVPN機器侵害の続報',
      en: '(Center only) follow-up on one operator’s compromised VPN appliance',
    },
    summary: {
      ja: '事業者から寄せられた続報によれば、侵害されたVPN機器から内部への横展開の痕跡は確認されていない。この項目はTLP:AMBERのため公開版には掲載されない。',
      en: 'According to the operator’s follow-up, no lateral movement from the compromised VPN appliance was found. This item is TLP:AMBER and is not in the public edition.',
    },
    tags: { ...none, countries: ['JP'] },
    tlp: 'AMBER',
    state: 'accepted',
    sources: [IVANTI_JPCERT],
  },
];
