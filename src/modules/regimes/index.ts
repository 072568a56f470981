export { loadRegimes, regimeSchema, RegimesFileError, DEFAULT_REGIMES_FILE } from './regime.catalog.js';
export { describeStage } from './regime.text.js';
export { checkVersions } from './regime.catalog.js';
export { RegimeCatalog } from './regime.overrides.js';
export type { CatalogEntry, RegimeOrigin } from './regime.overrides.js';
export { regimeRoutes } from './regime.routes.js';
