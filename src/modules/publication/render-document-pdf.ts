import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { cellText, LABEL_HEADINGS } from '../stats/index.js';
import type { DocumentContent } from './publication.content.js';
import { QUARTERLY_TEMPLATE } from './quarterly-template.js';

/**
 * The quarterly document as PDF, typeset by Typst (through its Node binding): footnotes at the foot
 * of the citing page, page numbers, repeated table headers, and the Japanese font embedded from the
 * npm package @expo-google-fonts/noto-sans-jp, so the PDF is the same on a machine without
 * Japanese fonts. The compiler (fonts loaded) is made once per process.
 */

const require = createRequire(import.meta.url);

export function fontFiles(): string[] {
  const root = dirname(require.resolve('@expo-google-fonts/noto-sans-jp/package.json'));
  return [join(root, '400Regular/NotoSansJP_400Regular.ttf'), join(root, '700Bold/NotoSansJP_700Bold.ttf')];
}

let compiler: NodeCompiler | undefined;
function typst(): NodeCompiler {
  compiler ??= NodeCompiler.create({ fontArgs: [{ fontPaths: fontFiles() }] });
  return compiler;
}

/** The content in the shape the template reads: every cell's text decided here, as HTML and XLSX decide it. */
export function templateData(c: DocumentContent): unknown {
  const h = LABEL_HEADINGS[c.lang];
  return {
    lang: c.lang,
    title: c.title,
    period: c.period,
    dateLine: c.dateLine,
    editionMark: c.editionMark,
    center: c.center,
    partTitles: c.parts.map((p, i) => (c.lang === 'ja' ? `第${i + 1}部 ${p}` : `Part ${i + 1}. ${p}`)),
    situation: c.situation,
    emptySituation: c.emptySituation,
    statsIntro: c.statsIntro,
    stats: {
      unit: c.stats.unit,
      notes: c.stats.notes,
      groupHeading: h.group,
      rowHeading: h.row,
      blocks: c.stats.blocks.map((b) => ({
        title: b.title,
        grouped: b.grouped,
        columns: c.stats.columns,
        rows: b.groups.flatMap((g) =>
          g.rows.map((row, i) => ({
            group: g.label ?? '',
            groupSpan: i === 0 && g.label !== null ? g.rows.length : 0,
            label: row.label,
            bold: row.code === 'total',
            cells: row.values.map((v, col) =>
              v === null ? cellText(row, col, c.stats, c.lang) : v.toLocaleString('en-US'),
            ),
            missing: row.values.map((v) => v === null),
          })),
        ),
      })),
    },
    lessons: c.lessons,
    emptyLessons: c.emptyLessons,
  };
}

export function renderDocumentPdf(c: DocumentContent): Buffer {
  const compiled = typst().compile({
    mainFileContent: QUARTERLY_TEMPLATE,
    inputs: { data: JSON.stringify(templateData(c)) },
  });
  const error = compiled.takeError();
  if (error || !compiled.result) {
    const diagnostics = error ? JSON.stringify(error.shortDiagnostics).slice(0, 2000) : 'no document';
    throw new Error(`typesetting the quarterly document failed: ${diagnostics}`);
  }
  // A fixed creation time (the issue date is in the document): the same content gives the same bytes.
  return typst().pdf(compiled.result, { creationTimestamp: 0 });
}
