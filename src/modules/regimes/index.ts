export { loadRegimes, regimeSchema, RegimesFileError, DEFAULT_REGIMES_FILE } from './regime.catalog.js';
export { describeStage } from './regime.text.js';
