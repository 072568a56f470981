import type { AuditEntry, ChainProblem } from './audit.chain.js';

/**
 * Every incident has the entry that recorded its creation: an `incident.create` entry naming it, or
 * a batch entry (`import.file`, `incidents.load`: one per file or load, not one per incident) whose
 * `created_ids` ranges hold its id. Without this, emptying both audit tables looks exactly like a
 * database that never had a trail. Pure: the service feeds it the entries it walks and the ids of
 * incidents without an `incident.create` entry.
 */

/** Entries that record many created incidents at once. */
export const BATCH_CREATE_ACTIONS: ReadonlySet<string> = new Set(['import.file', 'incidents.load']);

export type IdRange = [first: number, last: number];

/** Collects ids (mostly ascending, as serial ids come) into sorted, merged closed ranges. */
export class IdRanges {
  private ranges: IdRange[] = [];

  add(id: number): void {
    const last = this.ranges[this.ranges.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else if (!last || id > last[1] || id < last[0]) this.ranges.push([id, id]);
  }

  addRange([first, last]: IdRange): void {
    this.ranges.push([first, last]);
  }

  /** Sorted, overlapping and adjacent ranges merged. */
  toArray(): IdRange[] {
    const sorted = [...this.ranges].sort((a, b) => a[0] - b[0]);
    const merged: IdRange[] = [];
    for (const [first, last] of sorted) {
      const top = merged[merged.length - 1];
      if (top && first <= top[1] + 1) top[1] = Math.max(top[1], last);
      else merged.push([first, last]);
    }
    return merged;
  }
}

/** The ranges a batch entry lists, or null when it lists none (written before they were recorded). */
function createdIdsOf(details: string | null): IdRange[] | null {
  let parsed: unknown;
  try {
    parsed = details === null ? null : JSON.parse(details);
  } catch {
    return null;
  }
  const ids = (parsed as { created_ids?: unknown } | null)?.created_ids;
  if (!Array.isArray(ids)) return null;
  return ids.filter(
    (r): r is IdRange =>
      Array.isArray(r) &&
      r.length === 2 &&
      r.every(Number.isSafeInteger) &&
      (r[0] as number) <= (r[1] as number),
  );
}

function createdCountOf(details: string | null): number {
  try {
    const n = (JSON.parse(details ?? 'null') as { incidents_created?: unknown } | null)?.incidents_created;
    return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0;
  } catch {
    return 0;
  }
}

export class CreationCoverage {
  private readonly collected = new IdRanges();
  private ranges: IdRange[] | undefined;
  private next = 0;
  /** Incidents created by batches from before created_ids was recorded: only their number is known. */
  private legacy = 0;
  private uncovered = 0;
  private readonly firstUncovered: number[] = [];

  constructor(private readonly report: (problem: ChainProblem) => void) {}

  /** Every entry walked, in any order. */
  add(entry: AuditEntry): void {
    if (!BATCH_CREATE_ACTIONS.has(entry.action)) return;
    const ranges = createdIdsOf(entry.details);
    if (ranges) for (const r of ranges) this.collected.addRange(r);
    else this.legacy += createdCountOf(entry.details);
  }

  /** Ids of incidents that no `incident.create` entry names, ascending, after every add(). */
  check(id: number): void {
    const ranges = (this.ranges ??= this.collected.toArray());
    while (this.next < ranges.length && ranges[this.next]![1] < id) this.next++;
    const range = ranges[this.next];
    if (range && range[0] <= id) return;
    this.uncovered++;
    if (this.legacy === 0) {
      this.report({
        kind: 'missing_creation',
        chain: null,
        seq: null,
        id: null,
        message: `incident ${id} has no entry recording its creation`,
      });
    } else if (this.firstUncovered.length < 10) this.firstUncovered.push(id);
  }

  /** With batches from before created_ids: their counts must account for the rest exactly. */
  finish(): void {
    if (this.legacy === 0 || this.uncovered === this.legacy) return;
    this.report({
      kind: 'missing_creation',
      chain: null,
      seq: null,
      id: null,
      message:
        `${this.uncovered} incidents have no entry naming them, but the older batch entries created ` +
        `${this.legacy} (first: ${this.firstUncovered.join(', ')})`,
    });
  }
}
