import type { Actor } from '../../access/index.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import type { AuditService } from '../audit/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { TaxiiStore } from '../taxii/index.js';
import { bundleOf } from './stix.bundle.js';
import { changedIncidents, readCursors, saveCursors, targetsOf } from './stix.publish-feed.js';
import { incidentObjects } from './stix.incident.js';

/**
 * Reads as the narrowest reader every collection an incident goes to has besides its own
 * organisation and the center: an administrator, who sees received records of every marking but
 * RED (src/access/visibility.ts). What it cannot see goes to no collection.
 */
const PUBLISHER: Actor = {
  userId: 0,
  email: 'system:taxii publish',
  organizationId: 0,
  organizationName: '',
  role: 'admin',
  sectors: [],
};

/**
 * Incidents read, and published, per transaction; between two, the run yields, so that a backlog
 * (a large import) goes out in short steps between the requests a server answers.
 */
const BATCH = 50;
/** Incidents per run by default. */
const RUN_BUDGET = 1000;

/** Shared between records (markings, sector identities), so never withdrawn with one of them. */
const SHARED_TYPES = new Set(['marking-definition', 'identity']);

export interface PublishResult {
  incidents: number;
  added: number;
  withdrawn: number;
  /** Changes are left for the next run (the run's budget was spent). */
  more: boolean;
}

/**
 * Publishes operator incidents into the TAXII collections whose readers the access rule lets see
 * them: its organisation's collection as it is; its sector's (GREEN and CLEAR) and the public one
 * (CLEAR) anonymised, as those collections' policy says. What changed is read from the audit
 * trail (every change of an incident is an entry), each chain from where the last run stopped, so
 * a run costs what changed, not the table. A record that no longer reaches a collection (withdrawn,
 * rejected, marked stricter) is withdrawn from it. Adding a version already held changes nothing,
 * so two processes publishing at once do the same work twice and no harm.
 */
export class IncidentPublisher {
  constructor(
    private readonly database: Database,
    private readonly incidents: IncidentService,
    private readonly store: TaxiiStore,
    private readonly taxonomy: Taxonomy,
    private readonly audit: AuditService,
  ) {}

  /**
   * One run: what changed since the last, at most `budget` incidents (a run at a time stays short
   * beside the requests a server answers; a large import is published over several runs).
   */
  async publishChanges(budget = RUN_BUDGET): Promise<PublishResult> {
    const { db, dialect } = this.database;
    const cursors = await readCursors(db, dialect.auditChains);
    const { ids, next, more } = await changedIncidents(db, cursors, budget);
    const result: PublishResult = { incidents: ids.length, added: 0, withdrawn: 0, more };
    // Each collection's row (and policy) read once a run, not once per incident it receives.
    const collections = new Map<string, Awaited<ReturnType<TaxiiStore['collection']>>>();
    for (let i = 0; i < ids.length; i += BATCH) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      const batch = ids.slice(i, i + BATCH);
      const [targets, views] = await Promise.all([
        targetsOf(db, batch),
        this.incidents.viewsOf(PUBLISHER, batch),
      ]);
      const byId = new Map(views.map((v) => [v.id, v]));
      await inTransaction(this.database, async (trx) => {
        for (const id of batch) {
          const view = byId.get(id);
          const keep = new Set<string>();
          for (const { key } of view ? (targets.get(id) ?? []) : []) {
            if (!view) break;
            // The collection's own policy decides: anonymised, nothing that names the organisation.
            const collection = collections.get(key) ?? (await this.store.collection(trx, key));
            collections.set(key, collection);
            const policy = { anonymise: collection.anonymise === 1 };
            const objects = bundleOf(incidentObjects(view, policy, this.taxonomy)).objects;
            const own = objects.filter((o) => !SHARED_TYPES.has(o.type));
            const shared = objects.filter((o) => SHARED_TYPES.has(o.type));
            result.added += (await this.store.addTo(trx, collection, own, `incident:${id}`)).added.length;
            await this.store.addTo(trx, collection, shared);
            for (const o of own) keep.add(`${collection.id} ${o.id}`);
          }
          result.withdrawn += await this.store.withdrawSource(trx, `incident:${id}`, keep);
        }
      });
    }
    if (ids.length > 0 || next.size > 0)
      await inTransaction(this.database, async (trx) => {
        await saveCursors(trx, next);
        if (ids.length > 0)
          await this.audit.append(
            trx,
            { userId: null, label: 'system:taxii publish' },
            {
              action: 'taxii.publish',
              objectType: 'taxii_collection',
              details: { incidents: result.incidents, added: result.added, withdrawn: result.withdrawn },
            },
          );
      });
    return result;
  }
}
