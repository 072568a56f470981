import { describe, expect, it } from 'vitest';
import type { KnownIdentifier } from '../../src/domain/anonymity.js';
import { checkAnonymity, describeFinding, namesOf } from '../../src/domain/anonymity.js';

/**
 * The anonymity check of lessons learned: each of 36 planted identifiers, set inside an otherwise
 * clean lesson, is found (with what and where); the clean lessons pass.
 */

const OWNER = '東雲電力株式会社';
const known: KnownIdentifier[] = [
  ...namesOf(OWNER).map((value) => ({ kind: 'name' as const, value, owner: OWNER })),
  ...namesOf('白鷺銀行').map((value) => ({ kind: 'name' as const, value, owner: '白鷺銀行' })),
  ...namesOf('医療法人 千草会').map((value) => ({ kind: 'name' as const, value, owner: '医療法人 千草会' })),
  { kind: 'alias', value: 'シノノメ電力', owner: OWNER },
  { kind: 'alias', value: 'Shinonome Power', owner: OWNER },
  { kind: 'domain', value: 'shinonome-power.example', owner: OWNER },
  { kind: 'host', value: 'vpn01.shinonome-power.example', owner: OWNER },
  { kind: 'address', value: '203.0.113.24', owner: OWNER },
  { kind: 'address', value: '東京都港区芝浦一丁目', owner: OWNER },
  { kind: 'distinctive', value: '東雲湾岸発電所', owner: OWNER },
  { kind: 'other', value: 'KY-2024-CVR1-FZKR-C77', owner: OWNER },
  { kind: 'other', value: '1234567890123', owner: OWNER },
];

const CLEAN_JA =
  '本四半期に報告されたランサムウェア被害の多くで、修正プログラムが公開済みのVPN機器の脆弱性（CVE-2023-46805）が侵入口となっていた。2024年2月29日までに対策を終えた事業者では被害は限られた。外部に公開している機器の一覧を保ち、重大な脆弱性の公表から適用までの期限を定めておくことが有効である。';
const CLEAN_EN =
  'In most ransomware cases reported this quarter, the way in was a VPN appliance vulnerability (CVE-2024-21887) with a published fix. Keeping a list of internet-facing devices and deciding how soon a critical fix must be applied helps; 3 of 10 operators had such a rule.';

/** Each planted text and what must be found in it. */
const PLANTED: Array<[planted: string, kind: string, lang: 'ja' | 'en']> = [
  ['東雲電力株式会社', 'name', 'ja'],
  ['東雲電力', 'name', 'ja'],
  ['東雲電力（株）', 'name', 'ja'],
  ['東雲電力㈱', 'name', 'ja'],
  ['シノノメ電力', 'alias', 'ja'],
  ['ｼﾉﾉﾒ電力', 'alias', 'ja'],
  ['Shinonome Power', 'alias', 'en'],
  ['SHINONOME POWER', 'alias', 'en'],
  ['ｓｈｉｎｏｎｏｍｅ－ｐｏｗｅｒ．ｅｘａｍｐｌｅ', 'domain', 'ja'],
  ['shinonome-power.example', 'domain', 'en'],
  ['vpn01.shinonome-power.example', 'host', 'en'],
  ['203.0.113.24', 'address', 'en'],
  ['２０３．０．１１３．２４', 'address', 'ja'],
  ['東京都港区芝浦一丁目', 'address', 'ja'],
  ['東雲湾岸発電所', 'distinctive', 'ja'],
  ['KY-2024-CVR1-FZKR-C77', 'other', 'en'],
  ['1234567890123', 'other', 'en'],
  ['白鷺銀行', 'name', 'ja'],
  ['千草会', 'name', 'ja'],
  ['医療法人 千草会', 'name', 'ja'],
  ['soc@shirasagi-bank.example', 'email', 'en'],
  ['it-admin@example.co.jp', 'email', 'en'],
  ['198.51.100.7', 'ip_address', 'en'],
  ['2001:db8::1', 'ip_address', 'en'],
  ['https://portal.example.net/login', 'url', 'en'],
  ['mail01.corp.local', 'hostname', 'en'],
  ['vpn.kita-energy.co.jp', 'hostname', 'en'],
  ['fs01.example.lg.jp', 'hostname', 'ja'],
  ['03-1234-5678', 'phone', 'ja'],
  ['+81 3 1234 5678', 'phone', 'en'],
  ['〒105-0023', 'postal_code', 'ja'],
  ['KY-2025-ABCD-EFGH-JK1', 'incident_ref', 'en'],
  ['県内唯一の', 'uniqueness', 'ja'],
  ['業界最大手の', 'uniqueness', 'ja'],
  ['the only airport in the prefecture', 'uniqueness', 'en'],
  ['the largest operator', 'uniqueness', 'en'],
];

describe('the anonymity check of a lesson learned', () => {
  it('passes clean lessons in both languages', () => {
    expect(
      checkAnonymity(
        { heading_ja: 'VPN機器の脆弱性が侵入口に', body_ja: CLEAN_JA, body_en: CLEAN_EN },
        known,
      ),
    ).toEqual([]);
  });

  it(`finds each of ${PLANTED.length} planted identifiers, saying what and where`, () => {
    expect(PLANTED.length).toBeGreaterThanOrEqual(30);
    for (const [planted, kind, lang] of PLANTED) {
      const clean = lang === 'ja' ? CLEAN_JA : CLEAN_EN;
      // Planted mid-text, on the second line, where a writer would slip it in.
      const cut = clean.indexOf(lang === 'ja' ? '外部に' : 'Keeping');
      const body = `${clean.slice(0, cut)}\n${lang === 'ja' ? `${planted}では、` : `At ${planted}, `}${clean.slice(cut)}`;
      const findings = checkAnonymity({ heading_ja: '見出し', [`body_${lang}`]: body }, known);
      expect(findings, `${planted} (${kind})`).toHaveLength(1);
      const [f] = findings;
      expect(f!.kind, planted).toBe(kind);
      expect(f!.field).toBe(`body_${lang}`);
      expect(f!.line).toBe(2);
      expect(body.slice(f!.offset, f!.offset + f!.text.length)).toBe(f!.text);
      // The finding shows the planted text as written (full-width forms included), or the part of it that identifies.
      expect(planted.normalize('NFKC').toLowerCase()).toContain(
        f!.text.normalize('NFKC').toLowerCase().trim(),
      );
      expect(describeFinding(f!)).toContain(`body_${lang}, line 2`);
    }
  });

  it('names whose organisation a known identifier belongs to', () => {
    const [f] = checkAnonymity({ body_ja: 'シノノメ電力の事例' }, known);
    expect(f).toMatchObject({ kind: 'alias', owner: OWNER, text: 'シノノメ電力', offset: 0, line: 1 });
  });

  it('reports every identifier of a text full of them, in order', () => {
    const findings = checkAnonymity(
      { body_en: 'Shinonome Power (vpn01.shinonome-power.example, 203.0.113.24) and 白鷺銀行 were hit.' },
      known,
    );
    expect(findings.map((f) => f.kind)).toEqual(['alias', 'host', 'address', 'name']);
  });
});
