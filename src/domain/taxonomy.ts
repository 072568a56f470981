import { readFileSync } from 'node:fs';

export interface Label {
  code: string;
  ja: string;
  en: string;
}
export interface GroupedLabel extends Label {
  group: string;
}
export interface MinistryAssignment {
  ministry: string;
  from: string;
  to?: string;
  role?: string;
}
export interface Sector extends Label {
  from?: string;
  to?: string;
  ministries: MinistryAssignment[];
}

export const CHANNELS = ['operator_report', 'agency_share', 'center_provision'] as const;
export type Channel = (typeof CHANNELS)[number];
export const STAGES = ['initial', 'update', 'final'] as const;
export type Stage = (typeof STAGES)[number];

export interface TaxonomyData {
  id: string;
  title_ja: string;
  title_en: string;
  channels: Label[];
  event_groups: Label[];
  events: GroupedLabel[];
  cause_groups: Label[];
  causes: GroupedLabel[];
  attack_types: Label[];
  report_stages: Label[];
  ministries: Label[];
  sectors: Sector[];
  tlp: Array<{ code: string; label: string }>;
}

/** The classification vocabulary, loaded from data so that policy changes are data changes. */
export class Taxonomy {
  readonly eventCodes: ReadonlySet<string>;
  readonly causeCodes: ReadonlySet<string>;
  readonly attackTypeCodes: ReadonlySet<string>;
  readonly sectorCodes: ReadonlySet<string>;
  private readonly groupLabels: Map<string, Label>;

  constructor(readonly data: TaxonomyData) {
    this.eventCodes = new Set(data.events.map((e) => e.code));
    this.causeCodes = new Set(data.causes.map((c) => c.code));
    this.attackTypeCodes = new Set(data.attack_types.map((a) => a.code));
    this.sectorCodes = new Set(data.sectors.map((s) => s.code));
    this.groupLabels = new Map([
      ...data.event_groups.map((g) => [`event:${g.code}`, g] as const),
      ...data.cause_groups.map((g) => [`cause:${g.code}`, g] as const),
    ]);
    for (const channel of CHANNELS) {
      if (!data.channels.some((c) => c.code === channel))
        throw new Error(`taxonomy lacks channel ${channel}`);
    }
  }

  eventGroup(groupCode: string): Label | undefined {
    return this.groupLabels.get(`event:${groupCode}`);
  }

  causeGroup(groupCode: string): Label | undefined {
    return this.groupLabels.get(`cause:${groupCode}`);
  }

  sector(code: string): Sector | undefined {
    return this.data.sectors.find((s) => s.code === code);
  }

  /** Whether a sector exists on a local date (ISO `YYYY-MM-DD`); a sector is data with effective dates. */
  sectorActiveOn(code: string, isoDate: string): boolean {
    const sector = this.sector(code);
    return !!sector && within(isoDate, sector.from, sector.to);
  }

  /** The ministries responsible for a sector on a local date (ISO `YYYY-MM-DD`). */
  ministriesOf(sectorCode: string, isoDate: string): Array<Label & { role?: string }> {
    const sector = this.sector(sectorCode);
    if (!sector) return [];
    return sector.ministries
      .filter((m) => within(isoDate, m.from, m.to))
      .map((m) => {
        const label = this.data.ministries.find((x) => x.code === m.ministry);
        if (!label) throw new Error(`sector ${sectorCode} names unknown ministry ${m.ministry}`);
        return m.role ? { ...label, role: m.role } : label;
      });
  }
}

function within(isoDate: string, from?: string, to?: string): boolean {
  return (!from || isoDate >= from) && (!to || isoDate < to);
}

export const DEFAULT_TAXONOMY_FILE = new URL('../../data/taxonomy-jp-action-plan.json', import.meta.url);

/** The center that runs the deployment, as its labels name it (KYOYU_CENTER_NAME_JA / _EN). */
export interface CenterName {
  ja: string;
  en: string;
}
/** Since 2025-07 the national center of Japan's information-sharing system (formerly NISC). */
export const DEFAULT_CENTER_NAME: CenterName = {
  ja: '国家サイバー統括室',
  en: 'National Cybersecurity Office',
};

/**
 * `{center}` in a label stands for the running center's name: the channel labels name whoever
 * runs the deployment (a sector ISAC, another country's authority), not a center written in data.
 */
function withCenter(data: TaxonomyData, center: CenterName): TaxonomyData {
  const name = (label: Label): Label => ({
    ...label,
    ja: label.ja.replaceAll('{center}', center.ja),
    en: label.en.replaceAll('{center}', center.en),
  });
  return { ...data, channels: data.channels.map(name) };
}

export function loadTaxonomy(
  file: URL | string = DEFAULT_TAXONOMY_FILE,
  center: CenterName = DEFAULT_CENTER_NAME,
): Taxonomy {
  return new Taxonomy(withCenter(JSON.parse(readFileSync(file, 'utf8')) as TaxonomyData, center));
}
