import type { ImportProgress } from '../modules/import/import.service.js';

/** A one-line progress bar on a terminal; silent when stderr is a file or a pipe. */
export function progressBar(stream: NodeJS.WriteStream): ((p: ImportProgress) => void) | undefined {
  if (!stream.isTTY) return undefined;
  const started = Date.now();
  return (p) => {
    const share = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(p.lines / seconds) : 0;
    const label = 'importing';
    stream.write(
      `\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ` +
        `${p.lines.toLocaleString('en')} lines ${rate.toLocaleString('en')}/s`,
    );
    if (share >= 1) stream.write('\n');
  };
}
