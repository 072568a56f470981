import { describe, expect, it } from 'vitest';
import type { AuditEntry, ChainProblem } from '../../../src/modules/audit/audit.chain.js';
import { CreationCoverage, IdRanges } from '../../../src/modules/audit/audit.coverage.js';

const entry = (action: string, details: unknown): AuditEntry => ({
  id: 1,
  chain: 0,
  seq: 1,
  at: '2026-12-01T00:00:00.000Z',
  actor_user_id: null,
  actor: 'cli:import',
  action,
  object_type: 'file',
  object_id: 'x.jsonl',
  ip: null,
  request_id: null,
  details: JSON.stringify(details),
  prev_hash: '0'.repeat(64),
  hash: '0'.repeat(64),
  hash_version: 2,
});

function check(entries: AuditEntry[], uncovered: number[]) {
  const problems: ChainProblem[] = [];
  const coverage = new CreationCoverage((p) => problems.push(p));
  for (const e of entries) coverage.add(e);
  for (const id of uncovered) coverage.check(id);
  coverage.finish();
  return problems.map((p) => p.message);
}

describe('IdRanges', () => {
  it('keeps runs of ids as ranges, sorted and merged whatever the order', () => {
    const r = new IdRanges();
    for (const id of [5, 6, 7, 9, 3, 4, 12, 10, 11, 11]) r.add(id);
    expect(r.toArray()).toEqual([
      [3, 7],
      [9, 12],
    ]);
    expect(new IdRanges().toArray()).toEqual([]);
  });
});

describe('CreationCoverage', () => {
  it("accepts incidents inside a batch's created_ids and names every other one", () => {
    const batch = entry('import.file', {
      incidents_created: 4,
      created_ids: [
        [10, 12],
        [20, 20],
      ],
    });
    expect(check([batch], [10, 11, 12, 20])).toEqual([]);
    expect(check([batch], [9, 11, 13, 21])).toEqual([
      'incident 9 has no entry recording its creation',
      'incident 13 has no entry recording its creation',
      'incident 21 has no entry recording its creation',
    ]);
    // Without any entry (both tables emptied), every incident is named.
    expect(check([], [1, 2])).toHaveLength(2);
  });

  it('for batches from before created_ids, the counts must account for the rest exactly', () => {
    const legacy = entry('import.file', { incidents_created: 3 });
    const load = entry('incidents.load', { incidents_created: 1 });
    expect(check([legacy, load], [1, 2, 3, 4])).toEqual([]);
    expect(check([legacy, load], [1, 2, 3])).toEqual([
      '3 incidents have no entry naming them, but the older batch entries created 4 (first: 1, 2, 3)',
    ]);
    // Other actions never vouch for a creation.
    expect(
      check([entry('incident.read', { incidents_created: 2, created_ids: [[1, 2]] })], [1]),
    ).toHaveLength(1);
  });
});
