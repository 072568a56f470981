import { statSync } from 'node:fs';
import type { Database } from '../../platform/db/database.js';
import type { ReceivedAtBounds } from '../../domain/received-at-bounds.js';
import { checkReceivedAt } from '../../domain/received-at-bounds.js';
import { checkIncidentTimes } from '../../domain/incident-times.js';
import { optionalInstant as instantOf } from '../../domain/report-line.js';
import type { Taxonomy } from '../../domain/taxonomy.js';
import { AppError } from '../../platform/errors.js';
import type { AuditService, AuditWho } from '../audit/index.js';
import { cliWho } from '../audit/index.js';
import type { IncidentService } from '../incidents/index.js';
import type { BatchContext, ReportSubmission } from '../incidents/index.js';
import { writeReportsIn } from '../incidents/index.js';
import { applyRollupChange } from '../stats/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { checkedBatches } from './checked-batches.js';
import type { LineError } from './line-checker.js';
import type { ImportFormat } from './line-readers.js';
import { formatOf } from './line-readers.js';
import { IdRanges } from '../audit/index.js';

export type { LineError } from './line-checker.js';

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  lines: number;
}

export interface ImportOptions {
  /** Namespace of the file's refs; importing the same ref into the same source never duplicates. */
  source?: string;
  onProgress?: (p: ImportProgress) => void;
  batchSize?: number;
  /** Errors listed in full; the total is always given. */
  maxErrors?: number;
  /** Who imports, for the audit trail (default `cli:import`). */
  who?: AuditWho;
  /** Reports an import must add before the planner's statistics are refreshed (default 10,000). */
  analyzeAfter?: number;
}

export interface ImportSummary {
  file: string;
  format: ImportFormat;
  lines: number;
  incidents_created: number;
  reports_added: number;
  unchanged: number;
}

export class ImportFailed extends AppError {
  constructor(
    readonly errors: LineError[],
    readonly totalErrors: number,
  ) {
    super('import_failed', `${totalErrors} bad line(s); nothing was imported`, {
      errors,
      total_errors: totalErrors,
    });
  }
}

/**
 * All or nothing per file: a first pass validates every line and reports every bad one; only a clean
 * file is stored, in one transaction, by the same writer as the API.
 */
export class ImportService {
  constructor(
    private readonly database: Database,
    private readonly taxonomy: Taxonomy,
    private readonly incidents: IncidentService,
    private readonly audit: AuditService,
    private readonly bounds: ReceivedAtBounds,
  ) {}

  async importFile(path: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const format = formatOf(path);
    if (!format) throw new AppError('validation_failed', 'the file name must end in .jsonl or .csv');
    const totalBytes = statSync(path).size;
    const source = options.source ?? 'import';
    const maxErrors = options.maxErrors ?? 1000;
    const batchSize = options.batchSize ?? 5000;

    const errors: LineError[] = [];
    let totalErrors = 0;
    const fail = (e: LineError) => {
      totalErrors++;
      if (errors.length < maxErrors) errors.push(e);
    };
    // A ref must keep its channel within the file; the writer checks it against stored data.
    const channelOfRef = new Map<string, string>();
    const summary: ImportSummary = {
      file: path,
      format,
      lines: 0,
      incidents_created: 0,
      reports_added: 0,
      unchanged: 0,
    };

    // One pass, one transaction: lines are stored batch by batch while they are validated. After the
    // first bad line nothing more is stored, the rest is only checked so that every bad line is
    // reported, and the transaction is rolled back: all or nothing, without reading the file twice.
    const { dialect } = this.database;
    await inTransaction(
      this.database,
      async (trx) => {
        // One read of the source's refs instead of a lookup per batch (on PostgreSQL those turn into
        // sequential scans as a fresh table grows inside the transaction, unseen by the planner).
        const refs = await trx.selectFrom('incidents').select('ref').where('source', '=', source).execute();
        const batchContext: BatchContext = {
          change: new Map(),
          now: new Date().toISOString(),
          knownRefs: new Set(refs.map((r) => r.ref)),
        };
        let batch: ReportSubmission[] = [];
        let stored = 0;
        // The audit entry lists the ids it created, so that verify can tell each has its entry.
        const created = new IdRanges();
        // Incidents the file added a stage to without creating them: what changed, for the publisher.
        const reported = new IdRanges();
        const store = async (submissions: ReportSubmission[]) => {
          const { results } = await writeReportsIn(
            trx,
            this.incidents.writer,
            source,
            submissions,
            batchContext,
          );
          // ANALYZE in the importing transaction counts its own new rows. Without it, on a fresh
          // PostgreSQL database (or one autovacuum has not seen), the planner takes the tables for
          // empty and may keep a plan that reads a whole index per foreign-key check for the rest of
          // the import: one 1,000,000-incident import ran for over 14 minutes instead of about 5.
          if (stored < batchSize && stored + submissions.length >= batchSize)
            await dialect.analyzeOwnRows(trx, ['incidents', 'stage_reports', 'incident_causes']);
          stored += submissions.length;
          const createdIds = new Set<number>();
          for (const r of results) {
            if (r.created && !createdIds.has(r.incidentId)) {
              createdIds.add(r.incidentId);
              created.add(r.incidentId);
            }
            if (r.stageAdded && !r.created) reported.add(r.incidentId);
            if (r.stageAdded) summary.reports_added++;
            else summary.unchanged++;
          }
          summary.incidents_created += createdIds.size;
        };
        // While the database writes one batch, the next is read and validated: on PostgreSQL the two
        // overlap. Batches still reach the database strictly in file order (a later batch waits).
        let inflight: Promise<void> | undefined;
        const flush = async () => {
          const submissions = batch;
          batch = [];
          if (inflight) await inflight;
          inflight = store(submissions);
          inflight.catch(() => undefined); // awaited (and rethrown) by the next flush or at the end
        };
        // Reading, parsing and checking run in a worker thread, one batch ahead of the writes here.
        for await (const { items, bytes } of checkedBatches(path, format, this.taxonomy, batchSize)) {
          for (const item of items) {
            summary.lines++;
            if (!item.ok) {
              item.errors.forEach(fail);
              batch = [];
              continue;
            }
            const { line } = item;
            // The same bounds as the API: a backdated or far-future line fails the whole file.
            const inRange = checkReceivedAt(item.receivedAtMs, this.bounds);
            if (!inRange.ok)
              fail({
                line: item.lineNo,
                field: 'received_at',
                code: 'received_at_out_of_range',
                message: inRange.message,
              });
            if (line.occurred_at !== undefined || line.detected_at !== undefined) {
              const problem = checkIncidentTimes(
                {
                  occurredMs: instantOf(line.occurred_at),
                  detectedMs: instantOf(line.detected_at),
                  receivedMs: item.receivedAtMs,
                },
                this.bounds.clockSkewMs,
              );
              if (problem) fail({ line: item.lineNo, ...problem });
            }
            const channel = channelOfRef.get(line.ref);
            if (channel === undefined) channelOfRef.set(line.ref, line.channel);
            else if (channel !== line.channel) {
              fail({
                line: item.lineNo,
                field: 'channel',
                code: 'ref_channel_conflict',
                message: `ref ${line.ref} is used for ${channel} earlier in the file`,
              });
            }
            if (totalErrors > 0) continue;
            batch.push({
              line,
              receivedAtMs: item.receivedAtMs,
              fingerprint: item.fingerprint,
              createdBy: null,
              lineNo: item.lineNo,
            });
            if (batch.length >= batchSize) await flush();
          }
          options.onProgress?.({ bytes, totalBytes, lines: summary.lines });
        }
        if (inflight) await inflight;
        if (totalErrors > 0) throw new ImportFailed(errors, totalErrors);
        if (batch.length > 0) await flush();
        if (inflight) await inflight;
        await applyRollupChange(trx, dialect, batchContext.change);
        // One entry per file, not per line: the trail records the import, and its cost stays flat.
        await this.audit.append(trx, options.who ?? cliWho('import'), {
          action: 'import.file',
          objectType: 'file',
          objectId: path,
          details: {
            ...summary,
            source,
            created_ids: created.toArray(),
            reported_ids: reported.toArray(),
          },
        });
      },
      { attempts: 1 },
    );
    if (summary.reports_added >= (options.analyzeAfter ?? ANALYZE_AFTER_REPORTS))
      await this.refreshPlannerStatistics();
    return summary;
  }

  /**
   * After a large import, the query planner's statistics are refreshed at once. Until they are,
   * PostgreSQL plans lists as if the tables were tiny or empty: a sector desk's list at 1,000,000
   * incidents took 620 ms through a bitmap of two whole indexes instead of 1 ms down one. Autovacuum
   * would catch up later, where it is on; SQLite gets the same from `PRAGMA optimize`.
   */
  private async refreshPlannerStatistics(): Promise<void> {
    const tables = ['incidents', 'stage_reports', 'incident_causes', 'stat_rollup'] as const;
    await this.database.dialect.refreshStatistics(this.database.db, tables);
  }
}

/** Refreshing the statistics takes a few seconds at most: worth it after a large import only. */
const ANALYZE_AFTER_REPORTS = 10_000;
