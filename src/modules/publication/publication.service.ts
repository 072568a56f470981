import type { Actor } from '../../access/index.js';
import { isAllowed } from '../../access/index.js';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import type { InfoSharingStats } from '../../domain/info-sharing-stats.js';
import { suppressInfoSharing } from '../../domain/stats-suppression.js';
import type { CenterName } from '../../domain/taxonomy.js';
import type { Database } from '../../platform/db/database.js';
import { AppError, forbidden } from '../../platform/errors.js';
import type { AuditService } from '../audit/index.js';
import { whoOf } from '../audit/index.js';
import { listLessons } from '../lessons/index.js';
import { listItems } from '../situation/index.js';
import type { StatsService } from '../stats/index.js';
import { renderStatsXlsx } from '../stats/index.js';
import type { DocumentMaterial, Edition, Lang } from './publication.content.js';
import { documentContent } from './publication.content.js';
import { renderDocumentHtml } from './render-document-html.js';
import { renderDocumentPdf } from './render-document-pdf.js';

export type DocumentFormat = 'pdf' | 'html' | 'xlsx';

export interface DocumentRequest {
  fiscalYear: number;
  quarter: Quarter;
  edition: Edition;
  format: DocumentFormat;
  lang: Lang;
  /** Local date of issue (YYYY-MM-DD); today in the deployment's time zone by default. */
  issuedOn?: string;
}

export interface RenderedDocument {
  body: Buffer;
  contentType: string;
  filename: string;
}

const TYPES: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Part 2 of a quarter's document: the columns up to that quarter (a Q2 document shows no Q3). */
export function statsUpTo(stats: InfoSharingStats, quarter: Quarter): InfoSharingStats {
  if (quarter === 4) return stats;
  const fy = stats.fiscal_year;
  const keep = stats.columns.map((c) => {
    const m = /^FY(\d{4})(?:Q([1-4]))?$/.exec(c);
    if (!m || Number(m[1]) !== fy) return true;
    return m[2] !== undefined && Number(m[2]) <= quarter;
  });
  const pickColumns = <T>(list: readonly T[]) => list.filter((_, i) => keep[i]);
  const tables = Object.fromEntries(
    Object.entries(stats.tables).map(([t, rows]) => [
      t,
      Object.fromEntries(Object.entries(rows).map(([code, values]) => [code, pickColumns(values)])),
    ]),
  ) as InfoSharingStats['tables'];
  return {
    ...stats,
    columns: pickColumns(stats.columns),
    column_sources: pickColumns(stats.column_sources),
    column_states: pickColumns(stats.column_states),
    tables,
  };
}

/**
 * The quarterly document: its three parts from kyoyu's own data, in a full edition for the center
 * (all accepted items and approved lessons, the working figures) and a public edition (TLP:CLEAR
 * material only, a closed quarter's figures with small counts suppressed beyond recovery).
 */
export class PublicationService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly stats: Pick<StatsService, 'infoSharing'>,
    private readonly audit: AuditService,
    private readonly site: { centerName: CenterName; minCell: number },
  ) {}

  async material(request: Omit<DocumentRequest, 'format' | 'lang'>): Promise<DocumentMaterial> {
    const { fiscalYear: fy, quarter, edition } = request;
    const publicEdition = edition === 'public';
    const answer = await this.stats.infoSharing(fy, 4, publicEdition ? 'outside' : 'center');
    if (publicEdition && answer.quarters[quarter - 1]?.state === 'open')
      throw new AppError(
        'quarter_not_published',
        `FY${fy} Q${quarter} is not closed: its public edition waits for the closing`,
      );
    const { quarters: _quarters, ...tables } = answer;
    const upTo = statsUpTo(tables, quarter);
    const [items, lessons] = await Promise.all([
      listItems(this.database.db, { fy, quarter, state: 'accepted', clearOnly: publicEdition }),
      listLessons(this.database.db, {
        fy,
        quarter,
        states: ['approved', 'published'],
        clearOnly: publicEdition,
      }),
    ]);
    return {
      fiscalYear: fy,
      quarter,
      edition,
      issuedOn: request.issuedOn ?? this.today(),
      center: this.site.centerName,
      items,
      stats: publicEdition && this.site.minCell > 1 ? suppressInfoSharing(upTo, this.site.minCell) : upTo,
      lessons: lessons.map((l) => ({
        heading: { ja: l.heading_ja, en: l.heading_en },
        body: { ja: l.body_ja, en: l.body_en },
      })),
    };
  }

  /** Renders the document for a caller: the public edition is everyone's, the full one the center's. */
  async render(actor: Actor | null, request: DocumentRequest): Promise<RenderedDocument> {
    const full = request.edition === 'full';
    if (actor && !isAllowed(actor, full ? 'publication:full:read' : 'publication:read'))
      throw forbidden(full ? 'the full edition is the center’s' : 'not allowed for your role');
    const material = await this.material(request);
    const body = await this.renderMaterial(material, request);
    if (actor)
      await this.audit.record(whoOf(actor), {
        action: 'publication.render',
        objectType: 'quarterly_document',
        objectId: `${request.fiscalYear}Q${request.quarter}`,
        details: { edition: request.edition, format: request.format, lang: request.lang },
      });
    const name = `kyoyu-fy${request.fiscalYear}-q${request.quarter}-${request.edition}-${request.lang}`;
    return {
      body,
      contentType: TYPES[request.format],
      filename:
        request.format === 'xlsx'
          ? `kyoyu-fy${request.fiscalYear}-q${request.quarter}-${request.edition}-stats.xlsx`
          : `${name}.${request.format}`,
    };
  }

  private async renderMaterial(material: DocumentMaterial, request: DocumentRequest): Promise<Buffer> {
    switch (request.format) {
      case 'xlsx':
        // Part 2 only, in both languages (a sheet each), as the statistics page's workbook.
        return renderStatsXlsx(material.stats);
      case 'html':
        return Buffer.from(renderDocumentHtml(documentContent(material, request.lang)), 'utf8');
      case 'pdf':
        return renderDocumentPdf(documentContent(material, request.lang));
    }
  }

  private today(): string {
    const { year, month, day } = this.calendar.zone.local(Date.now());
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
}
