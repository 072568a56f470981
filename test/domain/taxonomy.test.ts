import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TaxonomyData } from '../../src/domain/taxonomy.js';
import { CHANNELS, DEFAULT_TAXONOMY_FILE, Taxonomy, loadTaxonomy } from '../../src/domain/taxonomy.js';

const taxonomy = loadTaxonomy();

describe('the Japanese action-plan taxonomy', () => {
  it('loads the codes of every table', () => {
    expect(taxonomy.data.channels.map((c) => c.code)).toEqual([...CHANNELS]);
    expect(taxonomy.eventCodes.size).toBe(8);
    expect(taxonomy.causeCodes.size).toBe(17);
    expect([...taxonomy.attackTypeCodes]).toEqual(['ransomware', 'malware_other', 'ddos', 'other']);
    expect(taxonomy.eventCodes.has('availability.disruption')).toBe(true);
    expect(taxonomy.causeCodes.has('accidental.contractor_error')).toBe(true);
    expect(taxonomy.sectorCodes.has('water')).toBe(true);
  });

  it('has a Japanese and an English label for every entry, and no duplicate codes', () => {
    const d = taxonomy.data;
    const lists = [
      d.channels,
      d.event_groups,
      d.events,
      d.cause_groups,
      d.causes,
      d.attack_types,
      d.report_stages,
    ];
    for (const list of [...lists, d.ministries, d.sectors]) {
      for (const entry of list) {
        expect(entry.ja.trim(), entry.code).not.toBe('');
        expect(entry.en.trim(), entry.code).not.toBe('');
      }
      expect(new Set(list.map((e) => e.code)).size).toBe(list.length);
    }
    expect(d.channels.find((c) => c.code === 'center_provision')?.ja).toBe(
      '国家サイバー統括室からの情報提供',
    );
  });

  it('names the running center in the channel labels: the configured name, or the default', () => {
    const labels = (t: Taxonomy) => t.data.channels.map((c) => [c.ja, c.en]).flat();
    for (const label of labels(taxonomy)) expect(label).not.toMatch(/NISC|\{center\}/);
    const isac = loadTaxonomy(DEFAULT_TAXONOMY_FILE, { ja: '電力ISAC', en: 'Electricity ISAC' });
    expect(isac.data.channels.map((c) => c.ja)).toEqual([
      '重要インフラ事業者等から電力ISACへの情報連絡',
      '関係省庁・関係機関からの電力ISACへの情報共有',
      '電力ISACからの情報提供',
    ]);
    expect(isac.data.channels.find((c) => c.code === 'center_provision')?.en).toBe(
      'Information provided by Electricity ISAC',
    );
  });

  it('resolves the group of every event and cause', () => {
    for (const e of taxonomy.data.events) expect(taxonomy.eventGroup(e.group), e.code).toBeDefined();
    for (const c of taxonomy.data.causes) expect(taxonomy.causeGroup(c.group), c.code).toBeDefined();
    expect(taxonomy.causeGroup('intentional')?.ja).toBe('意図的な原因');
    // Event and cause groups share codes ('other'): the lookups must not mix them up.
    expect(taxonomy.eventGroup('other')?.ja).toBe('その他');
    expect(taxonomy.causeGroup('other')?.ja).toBe('その他の原因');
    expect(taxonomy.eventGroup('intentional')).toBeUndefined();
  });

  it('moves the water sector from MHLW to MLIT and MOE on 2024-04-01', () => {
    const codes = (date: string) => taxonomy.ministriesOf('water', date).map((m) => m.code);
    expect(codes('2024-03-31')).toEqual(['mhlw']);
    expect(codes('2024-04-01')).toEqual(['mlit', 'moe']);
    const moe = taxonomy.ministriesOf('water', '2024-04-01').find((m) => m.code === 'moe');
    expect(moe).toMatchObject({ ja: '環境省', role: 'water quality standards' });
    expect(taxonomy.ministriesOf('water', '2024-04-01')[0]).not.toHaveProperty('role');
  });

  it('adds the port sector on 2024-03-08', () => {
    expect(taxonomy.sectorActiveOn('port', '2024-03-07')).toBe(false);
    expect(taxonomy.sectorActiveOn('port', '2024-03-08')).toBe(true);
    expect(taxonomy.ministriesOf('port', '2024-03-07')).toEqual([]);
    expect(taxonomy.ministriesOf('port', '2024-03-08').map((m) => m.code)).toEqual(['mlit']);
    expect(taxonomy.sectorActiveOn('electricity', '2010-01-01')).toBe(true);
  });

  it('knows nothing of unknown sectors', () => {
    expect(taxonomy.sector('space')).toBeUndefined();
    expect(taxonomy.sectorActiveOn('space', '2024-04-01')).toBe(false);
    expect(taxonomy.ministriesOf('space', '2024-04-01')).toEqual([]);
  });
});

describe('Taxonomy validation', () => {
  const raw = () => JSON.parse(readFileSync(DEFAULT_TAXONOMY_FILE, 'utf8')) as TaxonomyData;

  it('refuses a taxonomy that lacks one of the three channels', () => {
    const data = raw();
    data.channels = data.channels.filter((c) => c.code !== 'agency_share');
    expect(() => new Taxonomy(data)).toThrow(/agency_share/);
  });

  it('refuses a sector that names an unknown ministry when asked for its ministries', () => {
    const data = raw();
    data.sectors.push({
      code: 'space',
      ja: '宇宙',
      en: 'Space',
      ministries: [{ ministry: 'jaxa', from: '2025-01-01' }],
    });
    expect(() => new Taxonomy(data).ministriesOf('space', '2025-01-01')).toThrow(/jaxa/);
  });
});
