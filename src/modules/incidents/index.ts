/** The incidents module's public face: other modules import only what is exported here. */
export { fingerprintOf } from './fingerprint.js';
export type { IncidentService } from './incident.service.js';
export { writeReports, writeReportsIn } from './incident.write.js';
export type {
  AlongsideWrite,
  BatchContext,
  ReportSubmission,
  ReportWriter,
  WrittenReports,
} from './incident.write.js';
export { apiSource, refFor } from './incident.policy.js';
export { IncidentTimeline } from './incident.timeline.js';
export { timelineRoutes } from './timeline.routes.js';
