import { GENESIS_HASH } from '../../platform/db/chain.js';
import type { AuditEntry, ChainHead } from './audit.hash.js';
import { selfConsistent } from './audit.hash.js';

export * from './audit.hash.js';

/**
 * The audit trail's hash chain, pure: the canonical form of an entry, its hash (audit.hash.ts), and
 * the walk that checks a chain. Each entry's hash covers the previous entry's hash, so changing,
 * removing or slipping in an entry breaks the chain at that point; the head row of each chain
 * vouches for its end.
 */

/** prev_hash of the first entry of every chain. */
export { GENESIS_HASH };

export type ProblemKind =
  | 'edited'
  | 'deleted'
  | 'inserted'
  | 'head_mismatch'
  /** A chain the deployment writes has no head (it and its entries were deleted). */
  | 'missing_chain'
  /** A record without the entry that recorded its creation. */
  | 'missing_creation'
  /** The trail no longer holds what a signed checkpoint recorded. */
  | 'checkpoint';

export interface ChainProblem {
  kind: ProblemKind;
  /** Null for problems outside any one chain (a record without its creation entry). */
  chain: number | null;
  /** The entry's seq, or the first missing seq; null when the problem has no position. */
  seq: number | null;
  /** The entry concerned; null for entries that are gone. */
  id: number | null;
  message: string;
}

interface Walk {
  chain: number;
  head: ChainHead | undefined;
  /** seq and hash of the last entry accepted as part of the chain. */
  seq: number;
  hash: string;
  id: number | null;
  /** The last accepted entry was already reported edited: its successor's broken link says nothing new. */
  lastEdited: boolean;
  /** The highest hash version seen in this chain so far: it never goes back. */
  version: number;
}

/**
 * Checks entries fed in (chain, seq) order, one page at a time, keeping only the current chain's
 * state: memory stays flat on millions of entries. `(chain, seq)` is unique, so a slipped-in entry
 * shows as a seq the chain did not expect (beyond its head, out of sequence, or in a chain without
 * a head); a removed one as a gap, or as a chain ending before its head; an edited one as a hash
 * that no longer matches its content, or, when the hash was recomputed too, as a link its successor
 * (or the head) no longer confirms.
 */
export class ChainVerifier {
  private readonly heads: Map<number, ChainHead>;
  private readonly seen = new Set<number>();
  private walk: Walk | undefined;
  entries = 0;
  problems = 0;

  /**
   * `chains`: how many chains the deployment writes (0..chains-1). Their heads are created together
   * (PostgreSQL) or with the first entry (SQLite, one chain), so once the trail has any head or
   * entry, a chain without a head was deleted, entries and head alike.
   */
  constructor(
    heads: readonly ChainHead[],
    private readonly report: (problem: ChainProblem) => void,
    private readonly chains?: number,
  ) {
    this.heads = new Map(heads.map((h) => [h.chain, h]));
  }

  add(entry: AuditEntry): void {
    this.entries++;
    if (this.walk?.chain !== entry.chain) this.startChain(entry.chain);
    const w = this.walk!;
    const at = { chain: w.chain, seq: entry.seq, id: entry.id };
    const headSeq = w.head?.seq ?? 0;
    if (!Number.isInteger(entry.seq) || entry.seq <= w.seq) {
      return this.problem({ ...at, kind: 'inserted', message: `seq ${entry.seq} is out of sequence` });
    }
    if (entry.seq > headSeq) {
      const why = w.head ? `beyond the chain's head (seq ${headSeq})` : 'in a chain that has no head';
      return this.problem({ ...at, kind: 'inserted', message: `entry ${why}` });
    }
    const intact = selfConsistent(entry) && entry.hash_version >= w.version;
    if (entry.seq > w.seq + 1) {
      const missing = entry.seq - w.seq - 1;
      this.problem({
        chain: w.chain,
        seq: w.seq + 1,
        id: null,
        kind: 'deleted',
        message: `${missing} entr${missing === 1 ? 'y' : 'ies'} missing before seq ${entry.seq} (id ${entry.id})`,
      });
    } else if (intact && entry.prev_hash !== w.hash && !w.lastEdited) {
      // The entry is intact but does not follow from its predecessor: the predecessor was rewritten
      // with a recomputed hash (or, at seq 1, this entry's own link was).
      this.problem(
        w.id === null
          ? {
              ...at,
              kind: 'edited',
              message: 'rewritten: the first entry does not start from the genesis hash',
            }
          : {
              chain: w.chain,
              seq: w.seq,
              id: w.id,
              kind: 'edited',
              message: `rewritten: its hash is not the one the next entry (id ${entry.id}) recorded`,
            },
      );
    }
    if (!intact) {
      const why =
        entry.hash_version < w.version
          ? `hash version ${entry.hash_version} after version ${w.version}: lowered`
          : 'content does not match its hash';
      this.problem({ ...at, kind: 'edited', message: why });
    }
    this.walk = {
      chain: w.chain,
      head: w.head,
      seq: entry.seq,
      hash: entry.hash,
      id: entry.id,
      lastEdited: !intact,
      version: Math.max(w.version, Number.isInteger(entry.hash_version) ? entry.hash_version : 0),
    };
  }

  /** Closes the last chain and checks heads that have no entries at all. */
  finish(): { entries: number; chains: number; problems: number } {
    this.endChain();
    for (const head of this.heads.values()) {
      if (!this.seen.has(head.chain) && head.seq > 0) {
        this.problem({
          chain: head.chain,
          seq: 1,
          id: null,
          kind: 'head_mismatch',
          message: `the head says ${head.seq} entries but the chain has none`,
        });
      }
    }
    this.checkChainCount();
    const chains = new Set([
      ...this.seen,
      ...[...this.heads.values()].filter((h) => h.seq > 0).map((h) => h.chain),
    ]);
    return { entries: this.entries, chains: chains.size, problems: this.problems };
  }

  private startChain(chain: number): void {
    this.endChain();
    this.seen.add(chain);
    this.walk = {
      chain,
      head: this.heads.get(chain),
      seq: 0,
      hash: GENESIS_HASH,
      id: null,
      lastEdited: false,
      version: 1,
    };
  }

  /** Every chain of the deployment has its head once the trail has begun; no chain beyond them. */
  private checkChainCount(): void {
    const expected = this.chains;
    if (expected === undefined) return;
    const begun = this.heads.size > 0 || this.seen.size > 0;
    for (let chain = 0; begun && chain < expected; chain++) {
      if (this.heads.has(chain)) continue;
      this.problem({
        chain,
        seq: null,
        id: null,
        kind: 'missing_chain',
        message: `chain ${chain} of ${expected} has no head: the chain was deleted`,
      });
    }
    for (const head of this.heads.values()) {
      if (Number.isInteger(head.chain) && head.chain >= 0 && head.chain < expected) continue;
      this.problem({
        chain: head.chain,
        seq: null,
        id: null,
        kind: 'inserted',
        message: `a head for chain ${head.chain}, which this deployment never writes (${expected} chains)`,
      });
    }
  }

  private endChain(): void {
    const w = this.walk;
    if (!w?.head) return;
    if (w.seq < w.head.seq) {
      this.problem({
        chain: w.chain,
        seq: w.seq + 1,
        id: null,
        kind: 'head_mismatch',
        message: `the chain ends at seq ${w.seq} but its head says ${w.head.seq}: entries removed from the end`,
      });
    } else if (w.hash !== w.head.hash && !w.lastEdited) {
      this.problem({
        chain: w.chain,
        seq: w.seq,
        id: w.id,
        kind: 'head_mismatch',
        message: "the last entry's hash is not the one the head recorded: rewritten",
      });
    }
  }

  private problem(p: ChainProblem): void {
    this.problems++;
    this.report(p);
  }
}
