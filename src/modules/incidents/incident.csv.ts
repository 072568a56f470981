import type { Label, Taxonomy } from '../../domain/taxonomy.js';
import type { IncidentView } from './incident.schema.js';

export type CsvLang = 'ja' | 'en';

/**
 * One CSV field, quoted when RFC 4180 requires it. Titles and descriptions are written by other
 * organisations: a field that a spreadsheet would read as a formula (=, +, -, @, or a tab or CR
 * first) is written with a leading apostrophe, so that opening an export never runs one.
 */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: ReadonlyArray<string | number | null>): string =>
  `${fields.map(csvField).join(',')}\r\n`;

/** The columns: machine codes with their labels beside them, as the statistics' CSV has. */
export const INCIDENT_CSV_HEADER = [
  'id',
  'ref',
  'channel',
  'channel_label',
  'organization',
  'sector',
  'sector_label',
  'stage',
  'stage_label',
  'title',
  'occurred_at',
  'detected_at',
  'first_received_at',
  'last_received_at',
  'fiscal_year',
  'fiscal_quarter',
  'tlp',
  'state',
  'event',
  'causes',
  'attack_type',
  'classified_by',
  'description',
  'indicators',
] as const;

/**
 * The export's lines: a byte-order mark and the header first (Excel in a Japanese locale reads a
 * CSV without a BOM as Shift_JIS and garbles every label), then one line per incident.
 */
export async function* incidentCsv(
  incidents: AsyncIterable<IncidentView>,
  taxonomy: Taxonomy,
  lang: CsvLang,
): AsyncGenerator<string> {
  const label = (entries: readonly Label[], code: string | null) =>
    code === null ? '' : (entries.find((e) => e.code === code)?.[lang] ?? code);
  const t = taxonomy.data;
  yield `\uFEFF${csvLine(INCIDENT_CSV_HEADER)}`;
  for await (const i of incidents) {
    const c = i.classification;
    yield csvLine([
      i.id,
      i.ref,
      i.channel,
      label(t.channels, i.channel),
      i.organization,
      i.sector,
      label(t.sectors, i.sector),
      i.stage,
      label(t.report_stages, i.stage),
      i.title,
      i.occurred_at,
      i.detected_at,
      i.first_received_at,
      i.last_received_at,
      i.fiscal_year,
      i.fiscal_quarter,
      i.tlp,
      i.state,
      c?.event ?? null,
      c ? c.causes.join(' ') : null,
      c?.attack_type ?? null,
      c?.by ?? null,
      i.description,
      // type:value, space-separated (no normal form holds a space); only those the caller receives.
      (i.indicators ?? []).map((x) => `${x.type}:${x.value}`).join(' ') || null,
    ]);
  }
}
