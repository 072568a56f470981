import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../../db/dialect.js';
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
  tlp?: string;
  /** Matched case-insensitively anywhere in the title, the description or the ref. */
  text?: string;
  review?: 'pending' | 'unclassified' | 'changed';
}

/** A LIKE pattern that finds `text` literally: %, _ and the escape character lose their meaning. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface Page {
  limit: number;
  /** Keyset position: list continues strictly after this (first_received_at, id), newest first. */
  after?: { firstReceivedAt: string; id: number };
}

/** Read queries over incidents; every query takes the caller's visibility so none can forget it. */
export class IncidentRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: DialectName,
  ) {}

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
    if (f.tlp) q = q.where('incidents.tlp', '=', f.tlp);
    if (f.text) {
      const pattern = containing(f.text);
      const like = this.dialect === 'postgres' ? sql`ilike` : sql`like`;
      q = q.where((eb) =>
        eb.or(
          (['incidents.title', 'incidents.description', 'incidents.ref'] as const).map(
            (column) => sql<boolean>`${eb.ref(column)} ${like} ${pattern} escape '\\'`,
          ),
        ),
      );
    }
    if (f.review) {
      const unclassified = (eb: ExpressionBuilder<DB, 'incidents'>) =>
        eb.and([eb('incidents.channel', '=', 'operator_report'), eb('incidents.center_event', 'is', null)]);
      // Changed after the center classified it (a stage arrived since): it may say something new.
      // Classifying sets updated_at to the same instant as center_classified_at.
      const changed = (eb: ExpressionBuilder<DB, 'incidents'>) =>
        eb('incidents.updated_at', '>', eb.ref('incidents.center_classified_at'));
      const review = f.review;
      q = q.where((eb) =>
        review === 'unclassified'
          ? unclassified(eb)
          : review === 'changed'
            ? changed(eb)
            : eb.or([unclassified(eb), changed(eb)]),
      );
    }
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
