/** The incidents module's public face: other modules import only what is exported here. */
export { fingerprintOf } from './fingerprint.js';
export type { IncidentService } from './incident.service.js';
export { writeReportsIn } from './incident.write.js';
export type { BatchContext, ReportSubmission } from './incident.write.js';
