import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One row of the summary: a kyoyu figure, its raw-driver baseline and the target. */
export interface Metric {
  metric: string;
  dialect: string;
  unit: string;
  kyoyu: number | null;
  raw: number | null;
  /** kyoyu / raw. */
  ratio: number | null;
  target: string;
  met: boolean | null;
  note?: string;
}

export function metric(
  name: string,
  dialect: string,
  unit: string,
  kyoyu: number | null,
  raw: number | null,
  target: { op: '>=' | '<='; value: number } | null,
  note?: string,
): Metric {
  const met =
    kyoyu === null || !target ? null : target.op === '>=' ? kyoyu >= target.value : kyoyu <= target.value;
  return {
    metric: name,
    dialect,
    unit,
    kyoyu,
    raw,
    ratio: kyoyu !== null && raw ? kyoyu / raw : null,
    target: target ? `${target.op} ${target.value.toLocaleString('en-US')} ${unit}` : '-',
    met,
    ...(note ? { note } : {}),
  };
}

export const log = (text = ''): void => {
  process.stdout.write(text + '\n');
};

export function fmt(value: number | null, digits = 0): string {
  if (value === null || !Number.isFinite(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const digitsFor = (unit: string, v: number | null) => (unit === 'ms' && v !== null && v < 100 ? 2 : 0);

export function summaryTable(metrics: readonly Metric[]): string {
  const header = ['metric', 'dialect', 'kyoyu', 'raw baseline', 'ratio', 'target', 'met?'];
  const rows = metrics.map((m) => [
    m.metric,
    m.dialect,
    m.kyoyu === null ? '-' : `${fmt(m.kyoyu, digitsFor(m.unit, m.kyoyu))} ${m.unit}`,
    m.raw === null ? '-' : `${fmt(m.raw, digitsFor(m.unit, m.raw))} ${m.unit}`,
    m.ratio === null ? '-' : `${m.ratio.toFixed(m.ratio < 0.1 ? 3 : 2)}x`,
    m.target,
    m.met === null ? 'n/a' : m.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    '| ' +
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') +
    ' |';
  const rule = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(data, null, 2) + '\n');
}

/** Percentile of an ascending-sorted list (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
