import type { Database } from '../../platform/db/database.js';
import type { FiscalCalendar, Quarter } from '../../domain/fiscal-calendar.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService, AuditWho } from '../audit/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import type { ClosedPeriod, LateFilingRow, RollupReader } from './period.repository.js';
import {
  countLateFilings,
  deleteClosing,
  insertClosing,
  readClosedPeriod,
  readClosedPeriods,
  readLateFilings,
} from './period.repository.js';

export type PeriodState = 'open' | 'closed';

export interface PeriodView {
  fiscal_year: number;
  quarter: Quarter;
  state: PeriodState;
  /** Whether the quarter has ended (only an ended quarter can be closed). */
  ended: boolean;
  closed_at: string | null;
  closed_by: string | null;
  /** Records counted in the quarter that arrived or changed after the closing; null while open. */
  late_filings: number | null;
}

export interface LateFilings {
  fiscal_year: number;
  quarter: Quarter;
  closed_at: string;
  count: number;
  items: LateFilingRow[];
}

const periodId = (fy: number, q: Quarter) => `FY${fy}Q${q}`;

/**
 * Closing and reopening fiscal quarters. A closed quarter's statistics are read from the snapshot
 * taken at its closing; anything written later (a late filing, a reclassification) moves only the
 * live rollup, and counts once the center reopens the quarter (closing again takes a new snapshot).
 */
export class PeriodService {
  constructor(
    private readonly database: Database,
    private readonly calendar: FiscalCalendar,
    private readonly audit: AuditService,
    /** The live rollup a closing freezes (given by the composition root: periods do not import stats). */
    private readonly readRollup: RollupReader,
  ) {}

  private view(
    fy: number,
    q: Quarter,
    closing: ClosedPeriod | null,
    lateFilings: number | null,
    now: Date,
  ): PeriodView {
    return {
      fiscal_year: fy,
      quarter: q,
      state: closing ? 'closed' : 'open',
      ended: now.getTime() >= this.calendar.rangeOf(fy, q).end.getTime(),
      closed_at: closing?.closed_at ?? null,
      closed_by: closing?.closed_by_label ?? null,
      late_filings: closing ? lateFilings : null,
    };
  }

  /** The four quarters of a fiscal year, or every closed quarter when no year is given. */
  async list(fiscalYear?: number, now = new Date()): Promise<PeriodView[]> {
    const db = this.database.db;
    const closed = await readClosedPeriods(db, fiscalYear, fiscalYear);
    const late = await Promise.all(closed.map((p) => countLateFilings(db, this.calendar, p)));
    const views = closed.map((p, i) => this.view(p.fiscal_year, p.quarter, p, late[i]!, now));
    if (fiscalYear === undefined) return views;
    return ([1, 2, 3, 4] as const).map(
      (q) => views.find((v) => v.quarter === q) ?? this.view(fiscalYear, q, null, null, now),
    );
  }

  async close(who: AuditWho, fiscalYear: number, quarter: Quarter, now = new Date()): Promise<PeriodView> {
    const { end } = this.calendar.rangeOf(fiscalYear, quarter);
    if (now.getTime() < end.getTime())
      throw new AppError(
        'period_not_ended',
        `FY${fiscalYear} Q${quarter} has not ended yet (it ends at ${end.toISOString()})`,
      );
    return inTransaction(this.database, async (trx) => {
      // Writers that already touched the rollup finish first and are in the snapshot; later ones
      // wait for this commit and are late filings. Two closings do not wait for each other.
      await this.database.dialect.lockAgainstWriters(trx, 'stat_rollup');
      if (await readClosedPeriod(trx, fiscalYear, quarter))
        throw new AppError('period_already_closed', `FY${fiscalYear} Q${quarter} is already closed`);
      const closing: ClosedPeriod = {
        fiscal_year: fiscalYear,
        quarter,
        closed_at: new Date().toISOString(),
        closed_by: who.userId,
        closed_by_label: who.label,
      };
      await insertClosing(trx, this.calendar, closing, this.readRollup);
      await this.audit.append(trx, who, {
        action: 'period.close',
        objectType: 'period',
        objectId: periodId(fiscalYear, quarter),
        details: { fiscal_year: fiscalYear, quarter },
      });
      return this.view(fiscalYear, quarter, closing, 0, now);
    });
  }

  async reopen(who: AuditWho, fiscalYear: number, quarter: Quarter, now = new Date()): Promise<PeriodView> {
    return inTransaction(this.database, async (trx) => {
      const closing = await readClosedPeriod(trx, fiscalYear, quarter);
      if (!closing) throw notClosed(fiscalYear, quarter);
      const late = await countLateFilings(trx, this.calendar, closing);
      await deleteClosing(trx, fiscalYear, quarter);
      await this.audit.append(trx, who, {
        action: 'period.reopen',
        objectType: 'period',
        objectId: periodId(fiscalYear, quarter),
        details: { fiscal_year: fiscalYear, quarter, closed_at: closing.closed_at, late_filings: late },
      });
      return this.view(fiscalYear, quarter, null, null, now);
    });
  }

  async lateFilings(fiscalYear: number, quarter: Quarter, limit = 1000): Promise<LateFilings> {
    const db = this.database.db;
    const closing = await readClosedPeriod(db, fiscalYear, quarter);
    if (!closing) throw notClosed(fiscalYear, quarter);
    const [count, items] = await Promise.all([
      countLateFilings(db, this.calendar, closing),
      readLateFilings(db, this.calendar, closing, limit),
    ]);
    return { fiscal_year: fiscalYear, quarter, closed_at: closing.closed_at, count, items };
  }

  /** Late filings per closed quarter (quarterKey -> count) for the quarters given. */
  async lateFilingCounts(closings: readonly ClosedPeriod[]): Promise<number[]> {
    return Promise.all(closings.map((p) => countLateFilings(this.database.db, this.calendar, p)));
  }
}

function notClosed(fiscalYear: number, quarter: Quarter): AppError {
  return new AppError('period_not_closed', `FY${fiscalYear} Q${quarter} is not closed`);
}
