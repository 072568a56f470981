/** The audit module's public face: other modules import only what is exported here. */
export { IdRanges } from './audit.coverage.js';
export { cliWho, whoOf } from './audit.service.js';
export type { AuditEvent, AuditService, AuditWho } from './audit.service.js';
