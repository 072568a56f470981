import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type { DB, IncidentTable, StageReportTable } from '../../db/schema.js';
import type { Visibility } from '../auth/policy.js';

export type IncidentRecord = Selectable<IncidentTable> & { organization_name: string | null };
export type StageRecord = Selectable<StageReportTable>;

export interface IncidentFilter {
  from?: string;
  to?: string;
  sector?: string;
  channel?: string;
  event?: string;
  cause?: string;
  attackType?: string;
  stage?: string;
}

export interface Page {
  limit: number;
  /** Keyset position: list continues strictly after this (first_received_at, id), newest first. */
  after?: { firstReceivedAt: string; id: number };
}

/** Read queries over incidents; every query takes the caller's visibility so none can forget it. */
export class IncidentRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private base(visibility: Visibility) {
    let q = this.db
      .selectFrom('incidents')
      .leftJoin('organizations', 'organizations.id', 'incidents.organization_id')
      .selectAll('incidents')
      .select('organizations.name as organization_name');
    if (visibility.kind === 'scoped') {
      const { organizationId, anyTlps, sectors, sectorTlps } = visibility;
      q = q.where((eb) => {
        const terms = [eb('incidents.organization_id', '=', organizationId)];
        if (anyTlps.length > 0) terms.push(eb('incidents.tlp', 'in', anyTlps));
        if (sectors.length > 0 && sectorTlps.length > 0) {
          terms.push(
            eb.and([
              eb('incidents.channel', '=', 'operator_report'),
              eb('incidents.sector', 'in', sectors),
              eb('incidents.tlp', 'in', sectorTlps),
            ]),
          );
        }
        return eb.or(terms);
      });
    }
    return q;
  }

  findById(id: number, visibility: Visibility): Promise<IncidentRecord | undefined> {
    return this.base(visibility).where('incidents.id', '=', id).executeTakeFirst();
  }

  async list(visibility: Visibility, filter: IncidentFilter, page: Page): Promise<IncidentRecord[]> {
    let q = this.base(visibility);
    const f = filter;
    if (f.from) q = q.where('incidents.first_received_at', '>=', f.from);
    if (f.to) q = q.where('incidents.first_received_at', '<', f.to);
    if (f.sector) q = q.where('incidents.sector', '=', f.sector);
    if (f.channel) q = q.where('incidents.channel', '=', f.channel);
    if (f.event) q = q.where('incidents.event', '=', f.event);
    if (f.attackType) q = q.where('incidents.attack_type', '=', f.attackType);
    if (f.stage) q = q.where('incidents.stage', '=', f.stage);
    if (f.cause) {
      const cause = f.cause;
      q = q.where('incidents.id', 'in', (eb: ExpressionBuilder<DB, 'incidents'>) =>
        eb.selectFrom('incident_causes').select('incident_id').where('cause', '=', cause),
      );
    }
    if (page.after) {
      const { firstReceivedAt, id } = page.after;
      q = q.where((eb) =>
        eb.or([
          eb('incidents.first_received_at', '<', firstReceivedAt),
          eb.and([eb('incidents.first_received_at', '=', firstReceivedAt), eb('incidents.id', '<', id)]),
        ]),
      );
    }
    return q
      .orderBy('incidents.first_received_at', 'desc')
      .orderBy('incidents.id', 'desc')
      .limit(page.limit)
      .execute();
  }

  stagesOf(incidentId: number): Promise<StageRecord[]> {
    return this.db
      .selectFrom('stage_reports')
      .selectAll()
      .where('incident_id', '=', incidentId)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
  }
}
