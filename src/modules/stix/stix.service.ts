import type { Actor } from '../../access/index.js';
import { seesEverything } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { notFound } from '../../platform/errors.js';
import type { AuditService, AuditWho } from '../audit/index.js';
import { cliWho, whoOf } from '../audit/index.js';
import type { IncidentService } from '../incidents/index.js';
import { bundleOf } from './stix.bundle.js';
import type { ImportResult } from './stix.import.js';
import { importObjects } from './stix.import.js';
import { incidentObjects } from './stix.incident.js';
import type { IntelRow } from './stix.repository.js';
import { findIntel, listIntel, setTriage } from './stix.repository.js';
import type { ImportBundleBody, IntelItem, IntelPage, IntelQuery, TriageState } from './stix.schema.js';
import type { ExportPolicy, StixBundle, StixObject, StixProducer } from './stix.types.js';

const itemOf = (r: IntelRow): IntelItem => ({
  id: r.id,
  stix_id: r.stix_id,
  type: r.type,
  spec_version: r.spec_version,
  modified: r.modified,
  source: r.source,
  received_at: r.received_at,
  triage_state: r.triage_state as TriageState,
  decided_by: r.decided_by,
  decided_at: r.decided_at,
  object: JSON.parse(r.object) as StixObject,
});

/** The CLI on the server acts as the center (as `kyoyu period` does): it reads every record. */
const CLI_CENTER: Actor = {
  userId: 0,
  email: 'cli:stix export',
  organizationId: 0,
  organizationName: '',
  role: 'center_analyst',
  sectors: [],
};

/**
 * STIX 2.1 out (an incident as the caller may see it, a fiscal year's incidents) and in (bundles
 * stored as incoming intelligence, triaged by the center). Every write and its audit entry are one
 * transaction; who may call which route is the gate's (the routes' policy actions).
 */
export class StixService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly incidents: IncidentService,
    private readonly taxonomy: Taxonomy,
    private readonly producer: StixProducer,
  ) {}

  /**
   * One incident as a bundle, as the caller may read it (unseen: 404, exactly as missing):
   * anonymised unless the caller is the center or the reporting organisation itself.
   */
  async incidentBundle(actor: Actor, id: number): Promise<StixBundle> {
    const view = await this.incidents.get(actor, id);
    const own = view.organization !== null && view.organization === actor.organizationName;
    const policy: ExportPolicy = { anonymise: !(seesEverything(actor) || own) };
    return bundleOf(incidentObjects(view, policy, this.taxonomy));
  }

  /** A fiscal year's received operator incidents as one bundle (`kyoyu stix export`). */
  async exportYear(fiscalYear: number, policy: ExportPolicy): Promise<StixBundle> {
    const rows = await this.incidents.exportList(CLI_CENTER, {
      fy: fiscalYear,
      channel: 'operator_report',
      state: 'received',
    });
    const objects: StixObject[] = [];
    for await (const view of rows) objects.push(...incidentObjects(view, policy, this.taxonomy));
    return bundleOf(objects);
  }

  importBundle(actor: Actor, bundle: ImportBundleBody): Promise<ImportResult> {
    return this.store(whoOf(actor), bundle, 'api');
  }

  /** A bundle file (`kyoyu stix import FILE`): its source names the file. */
  importFile(name: string, bundle: ImportBundleBody): Promise<ImportResult> {
    return this.store(cliWho('stix import'), bundle, `file:${name}`);
  }

  private store(who: AuditWho, bundle: ImportBundleBody, source: string): Promise<ImportResult> {
    return inTransaction(this.database, async (trx) => {
      const result = await importObjects(trx, bundle.objects, source);
      await this.audit.append(trx, who, {
        action: 'intel.import',
        objectType: 'intel',
        details: {
          source,
          bundle: bundle.id,
          received: result.received,
          new: result.new,
          refused: result.refused.length,
        },
      });
      return result;
    });
  }

  async list(actor: Actor, query: IntelQuery): Promise<IntelPage> {
    const rows = await listIntel(this.database.db, { ...query, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    await this.audit.record(whoOf(actor), {
      action: 'intel.list',
      objectType: 'intel',
      details: { state: query.state ?? null, type: query.type ?? null, returned: page.length },
    });
    return {
      items: page.map(itemOf),
      next_after: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  /** The center's decision on an incoming object: accepted, dismissed, or back to new. */
  async triage(actor: Actor, id: number, state: TriageState): Promise<IntelItem> {
    return inTransaction(this.database, async (trx) => {
      const row = await findIntel(trx, id);
      if (!row) throw notFound();
      const at = new Date().toISOString();
      await setTriage(trx, id, state, actor.userId, at);
      await this.audit.append(trx, whoOf(actor), {
        action: 'intel.triage',
        objectType: 'intel',
        objectId: id,
        details: { stix_id: row.stix_id, from: row.triage_state, to: state },
      });
      return itemOf({ ...row, triage_state: state, decided_by: actor.userId, decided_at: at });
    });
  }
}
