import type { InfoSharingStats } from '../domain/info-sharing-stats.js';
import { renderStatsCsv } from '../modules/stats/render-csv.js';
import { renderStatsHtml } from '../modules/stats/render-html.js';
import { renderStatsXlsx } from '../modules/stats/render-xlsx.js';

export async function renderStatsFile(
  stats: InfoSharingStats,
  format: 'json' | 'csv' | 'xlsx' | 'html',
): Promise<string | Buffer> {
  switch (format) {
    case 'json':
      return JSON.stringify(stats, null, 2) + '\n';
    case 'csv':
      return renderStatsCsv(stats);
    case 'xlsx':
      return renderStatsXlsx(stats);
    case 'html':
      return renderStatsHtml(stats);
  }
}
