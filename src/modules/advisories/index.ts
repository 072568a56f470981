/** The advisories module's public face: other modules import only what is exported here. */
export { AdvisoryService } from './advisory.service.js';
export { advisoryRoutes } from './advisory.routes.js';
export type { AdvisoryView } from './advisory.schema.js';
