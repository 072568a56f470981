import type { Taxonomy } from '../domain/taxonomy.js';
import type { Rng } from './rng.js';

/** A fictional reporting organisation; any resemblance of a name to a real company is accidental. */
export interface Organization {
  name: string;
  /** A sector code of the taxonomy. */
  sector: string;
}

export const DEMO_ORGANIZATIONS: readonly Organization[] = [
  { name: '東雲電力株式会社', sector: 'electricity' },
  { name: '北嶺エナジー株式会社', sector: 'electricity' },
  { name: 'さくら都市ガス株式会社', sector: 'gas' },
  { name: '青葉テレコム株式会社', sector: 'information_communication' },
  { name: 'みらい通信ネットワーク株式会社', sector: 'information_communication' },
  { name: '白鷺銀行', sector: 'finance' },
  { name: '青嵐証券株式会社', sector: 'finance' },
  { name: '蒼空航空株式会社', sector: 'aviation' },
  { name: '浜風国際空港株式会社', sector: 'airport' },
  { name: '若葉電鉄株式会社', sector: 'railway' },
  { name: '朝凪市', sector: 'government' },
  { name: '山吹県', sector: 'government' },
  { name: '白樺総合病院', sector: 'medical' },
  { name: '医療法人 千草会', sector: 'medical' },
  { name: '清流市水道局', sector: 'water' },
  { name: '翔運ロジスティクス株式会社', sector: 'logistics' },
  { name: '緑川化学工業株式会社', sector: 'chemical' },
  { name: '虹色カード株式会社', sector: 'credit' },
  { name: '黎明石油株式会社', sector: 'petroleum' },
  { name: '汐見港湾運営株式会社', sector: 'port' },
];

/** Sectors that attackers of each kind favour in the news of the period; a preference only. */
const FAVOURED_SECTORS: Record<string, readonly string[]> = {
  ddos: ['finance', 'government', 'information_communication', 'airport', 'aviation', 'railway', 'credit'],
  ransomware: ['medical', 'logistics', 'port', 'chemical', 'government', 'water'],
  malware_other: ['government', 'finance', 'medical', 'chemical'],
};

export function checkOrganizations(orgs: readonly Organization[], taxonomy: Taxonomy): void {
  if (orgs.length === 0) throw new RangeError('at least one organisation is needed');
  for (const org of orgs) {
    if (!taxonomy.sectorCodes.has(org.sector))
      throw new RangeError(`organisation ${org.name}: unknown sector ${org.sector}`);
  }
}

/**
 * An organisation whose sector exists on every given local date (a sector is data with effective
 * dates: ports only from 2024-03-08), favouring sectors that suit the attack type.
 */
export function pickOrganization(
  orgs: readonly Organization[],
  taxonomy: Taxonomy,
  localDates: readonly string[],
  attackType: string | null,
  rng: Rng,
): Organization {
  const valid = orgs.filter((o) => localDates.every((d) => taxonomy.sectorActiveOn(o.sector, d)));
  if (valid.length === 0)
    throw new RangeError(`no organisation has a sector valid on ${localDates.join(', ')}`);
  const favoured = attackType ? (FAVOURED_SECTORS[attackType] ?? []) : [];
  return rng.weighted(valid, (o) => (favoured.includes(o.sector) ? 3 : 1));
}
