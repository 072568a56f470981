/** The stats module's public face: other modules import only what is exported here. */
export { applyChange, applyRollupChange, rollupChange, rollupRows } from './rollup.js';
export type { RollupChange } from './rollup.js';
