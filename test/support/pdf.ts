import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reading a PDF back with poppler's tools (pdftotext, pdffonts, pdftoppm), as a reader's software would. */

export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export function withPdfFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-pdf-'));
  try {
    const file = join(dir, 'doc.pdf');
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of each page (pdftotext; `layout` keeps the columns of a table on one line). */
export function pageTexts(pdf: Buffer, layout = false): string[] {
  return withPdfFile(pdf, (file) => {
    const text = execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], {
      encoding: 'utf8',
    });
    // pdftotext ends every page with a form feed.
    return text.split('\f').slice(0, -1);
  });
}

/** Every word of every page with its box (pdftotext -bbox), in reading order. */
export function pageWords(pdf: Buffer): PdfWord[][] {
  const xml = withPdfFile(pdf, (file) =>
    execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }),
  );
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, '&');
  return xml
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: decode(m[5]!),
      })),
    );
}

/** pdffonts' table: each font's name and whether it is embedded. */
export function pdfFonts(pdf: Buffer): Array<{ name: string; embedded: boolean }> {
  const out = withPdfFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      // name type... encoding emb sub uni object-id gen: emb is the 5th column from the end.
      return { name: cols[0]!, embedded: cols[cols.length - 5] === 'yes' };
    });
}

/** Writes each page as a PNG (pdftoppm) to `dir/<name>-<page>.png`; answers the files. */
export function pagePictures(pdf: Buffer, dir: string, name: string, dpi = 60): string[] {
  mkdirSync(dir, { recursive: true });
  return withPdfFile(pdf, (file) => {
    const out = join(dir, `.${name}-tmp`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(out, 'p')]);
    const files = readdirSync(out)
      .filter((f) => f.endsWith('.png'))
      .sort()
      .map((f, i) => {
        const target = join(dir, `${name}-p${i + 1}.png`);
        renameSync(join(out, f), target);
        return target;
      });
    rmSync(out, { recursive: true, force: true });
    return files;
  });
}

/** Text without any white space: pdftotext spaces Latin runs inside Japanese, a rendering detail. */
export const squeeze = (text: string): string => text.replace(/\s+/g, '');
