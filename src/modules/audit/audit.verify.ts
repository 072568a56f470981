import type { Database } from '../../platform/db/database.js';
import type { ChainProblem } from './audit.chain.js';
import { ChainVerifier, GENESIS_HASH } from './audit.chain.js';
import type { Checkpoint, CheckpointChain } from './audit.checkpoint.js';
import { CheckpointComparison } from './audit.checkpoint.js';
import { CreationCoverage } from './audit.coverage.js';
import { AuditRepository } from './audit.repository.js';

export interface VerifySummary {
  entries: number;
  chains: number;
  problems: number;
  /** Each chain's head as the walk found it: what a checkpoint records. */
  heads: CheckpointChain[];
}

export interface VerifyOptions {
  pageSize?: number;
  /** A checkpoint whose signature was already checked: the trail must still hold what it recorded. */
  checkpoint?: Checkpoint;
}

/**
 * Walks every chain in pages inside one read-only snapshot (so appends made meanwhile neither show
 * as inserted nor shift the pages), reporting each problem as it is found: the chains themselves,
 * that all `chains` of the deployment exist, that every incident has its creation entry, and, given
 * a checkpoint, that the trail still holds it.
 */
export async function verifyTrail(
  database: Database,
  chains: number,
  onProblem: (problem: ChainProblem) => void,
  options: VerifyOptions = {},
): Promise<VerifySummary> {
  const pageSize = options.pageSize ?? 5000;
  const { db, dialect } = database;
  let problems = 0;
  const report = (p: ChainProblem) => {
    problems++;
    onProblem(p);
  };
  return db.transaction().execute(async (trx) => {
    await dialect.readOnlySnapshot(trx);
    const repo = new AuditRepository(trx);
    const heads = await repo.heads();
    const verifier = new ChainVerifier(heads, report, chains);
    const coverage = new CreationCoverage(report);
    const comparison = options.checkpoint ? new CheckpointComparison(options.checkpoint, report) : undefined;
    const seen = new Map<number, { entries: number; lastId: number | null; lastSeq: number }>();
    let after: { chain: number; seq: number } | undefined;
    for (;;) {
      const page = await repo.page(after, pageSize);
      for (const entry of page) {
        verifier.add(entry);
        coverage.add(entry);
        comparison?.add(entry);
        const s = seen.get(entry.chain) ?? { entries: 0, lastId: null, lastSeq: 0 };
        seen.set(entry.chain, { entries: s.entries + 1, lastId: entry.id, lastSeq: entry.seq });
      }
      const last = page[page.length - 1];
      if (!last || page.length < pageSize) break;
      after = { chain: last.chain, seq: last.seq };
    }
    const walked = verifier.finish();
    for (let afterId = 0; ;) {
      const ids = await repo.incidentsWithoutCreateEntry(afterId, pageSize);
      for (const id of ids) coverage.check(id);
      if (ids.length < pageSize) break;
      afterId = ids[ids.length - 1]!;
    }
    coverage.finish();
    comparison?.finish(heads, chains);
    return {
      entries: walked.entries,
      chains: walked.chains,
      problems,
      heads: heads
        .map((h) => {
          const s = seen.get(h.chain);
          const atHead = s?.lastSeq === h.seq ? s.lastId : null;
          return {
            chain: h.chain,
            seq: h.seq,
            last_id: h.seq === 0 ? null : atHead,
            hash: h.seq === 0 ? GENESIS_HASH : h.hash,
            entries: s?.entries ?? 0,
          };
        })
        .sort((a, b) => a.chain - b.chain),
    };
  });
}
