import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Opens a workbook in LibreOffice (headless) and converts its first sheet to CSV, as a user's office
 * suite would read it: the conversion fails on a file it cannot open. A profile of its own per run,
 * so that a LibreOffice already running elsewhere does not take the job.
 */
export function xlsxToCsv(xlsx: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-lo-'));
  try {
    const file = join(dir, 'book.xlsx');
    writeFileSync(file, xlsx);
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76',
        '--outdir',
        dir,
        file,
      ],
      { stdio: 'pipe', timeout: 120_000 },
    );
    return readFileSync(join(dir, 'book.csv'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
