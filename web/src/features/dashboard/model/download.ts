import { toCsv } from './csv';

/** Saves a file the page made (a blob: URL through a temporary <a download>; no inline script needed). */
export function saveFile(name: string, content: Blob | string): void {
  const url = typeof content === 'string' ? content : URL.createObjectURL(content);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  if (typeof content !== 'string') setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveCsv(name: string, rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  saveFile(name, new Blob([toCsv(rows)], { type: 'text/csv;charset=utf-8' }));
}
