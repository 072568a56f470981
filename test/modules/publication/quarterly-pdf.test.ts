import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../../src/demo/demo.js';
import { DEMO_DOCUMENT } from '../../../src/demo/publication.js';
import { cellText } from '../../../src/modules/stats/index.js';
import type { DocumentContent, Edition, Lang } from '../../../src/modules/publication/publication.content.js';
import { documentContent } from '../../../src/modules/publication/publication.content.js';
import { renderDocumentPdf } from '../../../src/modules/publication/render-document-pdf.js';
import type { TestContext } from '../../support/databases.js';
import { testServices } from '../../support/databases.js';
import type { PdfWord } from '../../support/pdf.js';
import { pageTexts, pageWords, pagePictures, pdfFonts, squeeze } from '../../support/pdf.js';

/**
 * The quarterly document's PDF on the demo database, read back with poppler: headings, footnotes
 * (each number once in the text and once in the notes, on the same page), the statistics' figures,
 * page numbers, repeated table headers and embedded fonts; pictures of every page for people.
 */
const NOW = new Date('2026-12-01T03:00:00Z');
const SHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const ISSUED = '2024-04-26';

interface Rendered {
  content: DocumentContent;
  pdf: Buffer;
  texts: string[];
  layout: string[];
  words: PdfWord[][];
}

/** Footnote numbers on a page: superscripts glued to the word before them (citations) and those opening a line (notes). */
function footnoteNumbers(words: readonly PdfWord[]): { cited: number[]; notes: number[] } {
  // The body is set at 10pt and the notes at 7.5pt (words 10-11 and 7.5 high); footnote numbers are superscripts, 6 and 4.5 high.
  const cited: number[] = [];
  const notes: number[] = [];
  words.forEach((w, i) => {
    if (!/^[\d,]+$/.test(w.text) || !/\d/.test(w.text) || w.yMax - w.yMin > 6.8) return;
    const before = words[i - 1];
    const glued =
      before !== undefined && Math.abs(w.xMin - before.xMax) < 1.5 && Math.abs(w.yMin - before.yMin) < 8;
    // Two citations in a row are set `6,7`; pdftotext may cut that after the comma.
    for (const n of w.text.split(',').filter(Boolean).map(Number)) (glued ? cited : notes).push(n);
  });
  return { cited, notes };
}

describe('the quarterly document as PDF (demo database, SQLite)', () => {
  let ctx: TestContext;
  const docs = new Map<string, Rendered>();
  const doc = (edition: Edition, lang: Lang) => docs.get(`${edition}-${lang}`)!;

  beforeAll(async () => {
    ctx = await testServices('sqlite');
    await loadDemo(ctx.services, { now: NOW });
    for (const edition of ['full', 'public'] as const) {
      const material = await ctx.services.publication.material({
        ...DEMO_DOCUMENT,
        edition,
        issuedOn: ISSUED,
      });
      for (const lang of ['ja', 'en'] as const) {
        const content = documentContent(material, lang);
        const pdf = renderDocumentPdf(content);
        docs.set(`${edition}-${lang}`, {
          content,
          pdf,
          texts: pageTexts(pdf),
          layout: pageTexts(pdf, true),
          words: pageWords(pdf),
        });
        pagePictures(pdf, SHOTS, `quarterly-fy2023-q4-${edition}-${lang}`);
      }
    }
  }, 120_000);
  afterAll(() => ctx?.close());

  it.each(['full', 'public'] as const)(
    '%s edition: every font is embedded (Noto Sans JP from npm)',
    (edition) => {
      for (const lang of ['ja', 'en'] as const) {
        const fonts = pdfFonts(doc(edition, lang).pdf);
        expect(fonts.length).toBeGreaterThan(0);
        for (const font of fonts) {
          expect(font.embedded, font.name).toBe(true);
          expect(font.name).toMatch(/NotoSansJP/);
        }
      }
    },
  );

  it.each([
    ['ja', '令和6年4月26日（2024年4月26日）'],
    ['en', '26 April 2024 (Reiwa 6)'],
  ] as const)('the cover (%s) dates the issue in 和暦 and the Gregorian calendar', (lang, line) => {
    const cover = squeeze(doc('full', lang).texts[0]!);
    expect(cover).toContain(squeeze(line));
    expect(cover).toContain(squeeze(doc('full', lang).content.period));
  });

  it.each(['full', 'public'] as const)(
    '%s edition: the three parts, every section and item heading',
    (edition) => {
      for (const lang of ['ja', 'en'] as const) {
        const { content, texts } = doc(edition, lang);
        const all = squeeze(texts.join(''));
        for (const part of content.parts) expect(all).toContain(squeeze(part));
        for (const chapter of content.situation) {
          expect(all).toContain(squeeze(chapter.title));
          for (const section of chapter.sections) {
            expect(all).toContain(squeeze(section.title));
            for (const g of section.groups)
              for (const item of g.items) expect(all).toContain(squeeze(item.title));
          }
        }
        expect(content.lessons).toHaveLength(3);
        for (const lesson of content.lessons) expect(all).toContain(squeeze(lesson.heading));
      }
    },
  );

  it('the public edition holds only TLP:CLEAR material; the full edition has the center’s AMBER item', () => {
    const amber = '（センター内部）ある事業者のVPN機器侵害の続報';
    expect(squeeze(doc('full', 'ja').texts.join(''))).toContain(squeeze(amber));
    expect(squeeze(doc('public', 'ja').texts.join(''))).not.toContain(squeeze(amber));
  });

  it.each(['full', 'public'] as const)(
    '%s edition: each footnote number is set once in the notes, on a page that cites it; a source cited twice keeps its number',
    (edition) => {
      for (const lang of ['ja', 'en'] as const) {
        const { content, words, texts } = doc(edition, lang);
        const part2 = texts.findIndex(
          (t) =>
            squeeze(t).includes(squeeze(content.parts[1])) && !squeeze(t).includes(squeeze(content.parts[0])),
        );
        const part1Pages = words.slice(1, part2);
        const found = part1Pages.map(footnoteNumbers);
        const items = content.situation.flatMap((c) =>
          c.sections.flatMap((s) => s.groups.flatMap((g) => g.items)),
        );
        const citedTimes = new Map<number, number>();
        for (const item of items)
          for (const r of item.refs) citedTimes.set(r.number, (citedTimes.get(r.number) ?? 0) + 1);
        expect(content.notes.length).toBeGreaterThanOrEqual(8);
        // The demo cites the Volt Typhoon advisory from two items: one number, one note.
        expect([...citedTimes.values()].some((n) => n >= 2)).toBe(true);
        for (const note of content.notes) {
          const pagesWithNote = found.flatMap((f, p) =>
            f.notes.filter((n) => n === note.number).map(() => p),
          );
          expect(pagesWithNote, `note ${note.number} (${lang})`).toHaveLength(1);
          const page = pagesWithNote[0]!;
          expect(found[page]!.cited, `note ${note.number} cited on its page`).toContain(note.number);
          expect(squeeze(texts[page + 1]!)).toContain(squeeze(note.text).slice(0, 40));
          const citations = found.flatMap((f) => f.cited).filter((n) => n === note.number).length;
          expect(citations, `citations of ${note.number}`).toBe(citedTimes.get(note.number));
        }
        // Numbered across the part: 1..N, each number given once.
        expect(content.notes.map((n) => n.number)).toEqual(content.notes.map((_, i) => i + 1));
      }
    },
  );

  it.each(['full', 'public'] as const)(
    '%s edition: the statistics are the statistics page’s figures, row by row; a table continued on a new page repeats its header',
    (edition) => {
      for (const lang of ['ja', 'en'] as const) {
        const { content, layout } = doc(edition, lang);
        const stats = content.stats;
        const expected = stats.blocks.flatMap((b) =>
          b.groups.flatMap((g) =>
            g.rows.map((row) =>
              row.values.map((v, i) => (v === null ? cellText(row, i, stats, lang) : String(v))),
            ),
          ),
        );
        const cell = /^(\d+|≤\d+|x|—|未確定|not yet final)$/;
        const rows: string[][] = [];
        const pageOfRow: number[] = [];
        const heading = squeeze(stats.columns[0]!);
        for (const [pageNumber, page] of layout.entries()) {
          let headerSeen = false;
          for (const line of page.split('\n')) {
            if (squeeze(line).includes(heading)) headerSeen = true;
            const tokens = line
              .trim()
              .split(/\s{2,}|\s(?=\d|≤|x\b)/)
              .map((t) => t.trim())
              .filter(Boolean);
            const tail = tokens.slice(-stats.columns.length);
            // A long label wraps: its figures may stand on a line of their own.
            if (tokens.length >= stats.columns.length && tail.every((t) => cell.test(t))) {
              expect(headerSeen, `a data row before the header on its page: ${line}`).toBe(true);
              rows.push(tail);
              pageOfRow.push(pageNumber);
            }
          }
        }
        expect(rows.map((r) => r.join(' ')).join('\n')).toEqual(expected.map((r) => r.join(' ')).join('\n'));
        // At least one table runs onto a second page (so the header check above saw a repeated header).
        let first = 0;
        const spans = stats.blocks.map((b) => {
          const count = b.groups.reduce((n, g) => n + g.rows.length, 0);
          const pages = new Set(pageOfRow.slice(first, (first += count)));
          return pages.size;
        });
        expect(Math.max(...spans)).toBeGreaterThanOrEqual(2);
      }
    },
  );

  it('every page but the cover carries its number out of the total', () => {
    for (const [, { texts }] of docs) {
      texts.forEach((t, i) => {
        if (i === 0) return;
        expect(squeeze(t)).toContain(`${i + 1}/${texts.length}`);
      });
    }
  });
});
