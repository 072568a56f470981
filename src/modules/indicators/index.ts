/** The indicators module's public face: the report write, the incident view, advisories and STIX use these. */
export type { IndicatorService } from './indicator.service.js';
export {
  adoptBodySchema,
  indicatorInputSchema,
  indicatorListSchema,
  indicatorsSchema,
  indicatorViewSchema,
  suggestionListSchema,
} from './indicator.schema.js';
export type {
  IndicatorInput,
  IndicatorList,
  IndicatorView,
  NormalIndicator,
  Suggestion,
  SuggestionList,
} from './indicator.schema.js';
export type { IndicatorRow, NewIndicatorRow } from './indicator.repository.js';
export { indicatorRows, indicatorsOf, storedKeys } from './indicator.repository.js';
export type { ReportedIndicators } from './indicator.rows.js';
export { reportedIndicatorRows } from './indicator.rows.js';
export { indicatorView, receivableViews } from './indicator.view.js';
