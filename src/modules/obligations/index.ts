/** The obligations module's public face (issue 15): an incident's reporting duties. */
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { Database } from '../../platform/db/database.js';
import type { AuditService } from '../audit/index.js';
import type { RegimeCatalog } from '../regimes/index.js';
import type { ObligationService } from './obligation.service.js';

export { ObligationService } from './obligation.service.js';
export { obligationRoutes, organizationFlagRoutes } from './obligation.routes.js';
export { sendReminders, REMINDER_LEAD_MS } from './obligation.deadlines.js';
export { setFlags } from './organization-flags.js';

export interface ObligationServices {
  obligations: ObligationService;
  database: Database;
  regimes: RegimeCatalog;
  taxonomy: Taxonomy;
  audit: AuditService;
}
