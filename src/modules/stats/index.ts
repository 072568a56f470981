/** The stats module's public face: other modules import only what is exported here. */
export { applyChange, applyRollupChange, rollupChange, rollupRows } from './rollup.js';
export type { RollupChange } from './rollup.js';
export type { StatsService } from './stats.service.js';
export {
  cellText,
  escapeHtml,
  LABEL_HEADINGS,
  renderBlock,
  STATS_STYLE,
  statsLayout,
} from './render-html.js';
export type { StatsLayout } from './render-html.js';
export { renderStatsXlsx } from './render-xlsx.js';
export { responseTimes, readTimedIncidents } from './response-times.js';
export type { ResponseTimes } from './response-times.js';
