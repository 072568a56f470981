import { hash } from 'node:crypto';
import type { Actor } from '../../access/index.js';
import { authorizeIndicatorAdoption, canSee, mayAdoptIndicators } from '../../access/index.js';
import { normalIndicators } from '../../domain/indicator-input.js';
import { findIndicators } from '../../domain/indicators.js';
import type { Database } from '../../platform/db/database.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { notFound } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import {
  incidentRow,
  lockedIncidentRow,
  indicatorRows,
  indicatorsOf,
  keyOf,
  reportTexts,
  storedKeys,
} from './indicator.repository.js';
import type { AdoptBody, Adopted, IndicatorList, Suggestion, SuggestionList } from './indicator.schema.js';
import { receivableViews } from './indicator.view.js';

/**
 * An incident's indicators: the list the caller may receive, the ones written in its texts and
 * not yet stored (offered for adoption), and adoption. The incident is looked up first and an
 * unseen one is 404 exactly as a missing one; adoption decides on the row its transaction locked.
 */
export class IndicatorService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
  ) {}

  private async seen(actor: Actor, id: number) {
    const incident = await incidentRow(this.database.db, this.database.dialect, id);
    if (!incident || !canSee(actor, incident)) throw notFound();
    return incident;
  }

  async list(actor: Actor, id: number): Promise<IndicatorList> {
    const incident = await this.seen(actor, id);
    const rows = await indicatorsOf(this.database.db, [id]);
    const items = receivableViews(actor, incident, rows);
    await this.audit.record(whoOf(actor), {
      action: 'incident.indicators_read',
      objectType: 'incident',
      objectId: id,
      details: { returned: items.length },
    });
    return { incident_id: id, items, may_adopt: mayAdoptIndicators(actor, incident) };
  }

  /** Indicators written in the description and every stage report, not stored yet, with where. */
  async suggested(actor: Actor, id: number): Promise<SuggestionList> {
    const incident = await this.seen(actor, id);
    const { db } = this.database;
    const [reports, stored] = await Promise.all([reportTexts(db, id), storedKeys(db, [id])]);
    const held = stored.get(id) ?? new Set<string>();
    const texts = [
      { where: 'description' as const, report_id: null, text: incident.description },
      ...reports.map((r) => ({ where: 'report' as const, report_id: r.id, text: r.description })),
    ];
    const byKey = new Map<string, Suggestion>();
    for (const t of texts)
      for (const found of findIndicators(t.text)) {
        const key = keyOf(found);
        if (held.has(key)) continue;
        const place = { where: t.where, report_id: t.report_id, index: found.index, text: found.text };
        const seen = byKey.get(key);
        if (seen) seen.found_in.push(place);
        else byKey.set(key, { type: found.type, value: found.value, found_in: [place] });
      }
    return { incident_id: id, items: [...byKey.values()], may_adopt: mayAdoptIndicators(actor, incident) };
  }

  /** Stores indicators on the incident (source adopted); those it holds already stay as they are. */
  async adopt(actor: Actor, id: number, body: AdoptBody): Promise<Adopted> {
    const { dialect } = this.database;
    const added = await inTransaction(this.database, async (trx) => {
      const incident = await lockedIncidentRow(trx, dialect, id);
      authorizeIndicatorAdoption(actor, incident);
      const held = (await storedKeys(trx, [id])).get(id) ?? new Set<string>();
      const fresh = normalIndicators(body.indicators).filter((i) => !held.has(keyOf(i)));
      const now = new Date().toISOString();
      const rows = indicatorRows(fresh, incident.tlp, 'adopted', actor.userId, now).map((r) => ({
        incident_id: id,
        ...r,
      }));
      await dialect.insertRows(trx, 'incident_indicators', rows);
      const normal = fresh.map((i) => [i.type, i.value, i.tlp]);
      // As a report's entry: how many and a digest, not the values (the trail's readers may not receive them).
      await this.audit.append(trx, whoOf(actor), {
        action: 'incident.indicators_adopt',
        objectType: 'incident',
        objectId: id,
        details: { added: fresh.length, sha256: hash('sha256', JSON.stringify(normal), 'hex') },
      });
      return fresh.length;
    });
    const incident = await this.seen(actor, id);
    const items = receivableViews(actor, incident, await indicatorsOf(this.database.db, [id]));
    return { incident_id: id, items, may_adopt: mayAdoptIndicators(actor, incident), added };
  }
}
