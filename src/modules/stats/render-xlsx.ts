import ExcelJS from 'exceljs';
import type { InfoSharingStats } from '../../domain/info-sharing-stats.js';
import type { StatsLang, StatsLayout } from './render-html.js';
import { cellText, LABEL_HEADINGS, statsLayout } from './render-html.js';

/** Sheet names; Excel caps them at 31 characters and forbids []:*?/\ . */
export const SHEET_NAMES: Record<StatsLang, string> = { ja: '情報共有件数', en: 'Information sharing (en)' };

/** Rows above the first block: the title and the column headings; both stay frozen. */
export const HEADER_ROWS = 2;
/** Columns A (group) and B (row label); figures start at column C. */
export const LABEL_COLUMNS = 2;

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEAD_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8ECF7' } };
const BLOCK_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

function boxRow(row: ExcelJS.Row, lastColumn: number): void {
  for (let c = 1; c <= lastColumn; c++) row.getCell(c).border = THIN;
}

function addSheet(workbook: ExcelJS.Workbook, name: string, layout: StatsLayout, lang: StatsLang): void {
  const lastColumn = LABEL_COLUMNS + layout.columns.length;
  const ws = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: LABEL_COLUMNS, ySplit: HEADER_ROWS }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [
    { width: lang === 'ja' ? 20 : 30 },
    { width: lang === 'ja' ? 40 : 44 },
    ...layout.columns.map(() => ({ width: lang === 'ja' ? 13 : 12 })),
  ];

  const title = ws.addRow([layout.title]);
  title.font = { bold: true, size: 14 };
  const unit = title.getCell(lastColumn);
  unit.value = layout.unit;
  unit.alignment = { horizontal: 'right' };

  const h = LABEL_HEADINGS[lang];
  const head = ws.addRow([h.group, h.row, ...layout.columns]);
  head.font = { bold: true };
  head.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  head.height = 32;
  for (let c = 1; c <= lastColumn; c++) head.getCell(c).fill = HEAD_FILL;
  boxRow(head, lastColumn);

  for (const block of layout.blocks) {
    const heading = ws.addRow([block.title]);
    heading.font = { bold: true };
    heading.getCell(1).fill = BLOCK_FILL;
    ws.mergeCells(heading.number, 1, heading.number, lastColumn);
    boxRow(heading, lastColumn);

    for (const group of block.groups) {
      const first = ws.rowCount + 1;
      for (const item of group.rows) {
        // Figures are written as numbers so that the sheet can be summed and charted.
        // A figure that is not available is text, never a 0 that a sum would take for a count.
        const row = ws.addRow([
          null,
          item.label,
          ...item.values.map((v, i) => v ?? cellText(item, i, layout, lang)),
        ]);
        for (let c = LABEL_COLUMNS + 1; c <= lastColumn; c++) {
          const cell = row.getCell(c);
          cell.numFmt = '#,##0';
          cell.alignment = { horizontal: 'right' };
        }
        row.getCell(2).alignment = { vertical: 'middle', wrapText: true };
        if (item.code === 'total') row.font = { bold: true };
        boxRow(row, lastColumn);
      }
      if (group.label !== null) {
        const cell = ws.getCell(first, 1);
        cell.value = group.label;
        cell.alignment = { vertical: 'middle', wrapText: true };
        if (group.rows.length > 1) ws.mergeCells(first, 1, ws.rowCount, 1);
      }
    }
  }
  // The notes follow the tables after an empty row, each merged across the sheet's width.
  if (layout.notes.length > 0) ws.addRow([]);
  for (const note of layout.notes) {
    const row = ws.addRow([note]);
    ws.mergeCells(row.number, 1, row.number, lastColumn);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  }
}

/** The fixed moment stamped into the file: the start of the fiscal year, so that output never depends on now. */
function fixedDate(stats: InfoSharingStats): Date {
  return new Date(Date.UTC(stats.fiscal_year, 3, 1));
}

/**
 * JSZip (inside exceljs) stamps every zip entry with the current time; rewrite those DOS
 * timestamps so that the same statistics always give the same bytes (cacheable, diffable).
 */
function pinZipTimestamps(zip: Buffer, date: Date): Buffer {
  const dosTime = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1);
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('xlsx output is not a zip archive');
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('unexpected zip central directory layout');
    zip.writeUInt16LE(dosTime, p + 12);
    zip.writeUInt16LE(dosDate, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error('unexpected zip local header layout');
    zip.writeUInt16LE(dosTime, local + 10);
    zip.writeUInt16LE(dosDate, local + 12);
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

/**
 * The statistics as a workbook laid out like the published table: a Japanese sheet and an English
 * one; `era`: years named by their era (令和5年度).
 */
export async function renderStatsXlsx(
  stats: Parameters<typeof statsLayout>[0],
  opts: { era?: boolean } = {},
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const date = fixedDate(stats);
  workbook.creator = 'kyoyu';
  workbook.lastModifiedBy = 'kyoyu';
  workbook.created = date;
  workbook.modified = date;
  workbook.title = statsLayout(stats, 'ja', opts.era).title;
  for (const lang of ['ja', 'en'] as const)
    addSheet(workbook, SHEET_NAMES[lang], statsLayout(stats, lang, opts.era), lang);
  const bytes = await workbook.xlsx.writeBuffer();
  return pinZipTimestamps(Buffer.from(bytes), date);
}
