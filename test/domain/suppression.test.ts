import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Relation } from '../../src/domain/suppression.js';
import { determinedCells, rowAndColumnTotals, suppressSmallCells } from '../../src/domain/suppression.js';

/** A sector table: quarters then the row's total (the sum of its quarters). */
function withTotals(quarters: Array<Array<number | null>>): Array<Array<number | null>> {
  return quarters.map((row) => [
    ...row,
    row.some((v) => v === null) ? null : row.reduce<number>((a, b) => a + (b ?? 0), 0),
  ]);
}

/**
 * The attacker of the brief, written independently of the implementation: knowing every shown
 * cell and every relation's value, solve any relation with one unknown left by subtraction, and
 * again with what that revealed, until nothing moves. Returns the cells so recovered.
 */
function recoverBySubtraction(hidden: Set<string>, relations: readonly Relation[]): Set<string> {
  const unknown = new Set(hidden);
  const recovered = new Set<string>();
  for (let moved = true; moved;) {
    moved = false;
    for (const relation of relations) {
      const left = relation.filter(([r, c]) => unknown.has(`${r},${c}`));
      if (left.length !== 1) continue;
      const key = `${left[0]![0]},${left[0]![1]}`;
      unknown.delete(key);
      recovered.add(key);
      moved = true;
    }
  }
  return recovered;
}

const hiddenOf = (states: string[][]) => {
  const hidden = new Set<string>();
  states.forEach((row, r) => row.forEach((s, c) => s !== 'shown' && hidden.add(`${r},${c}`)));
  return hidden;
};

describe('suppressSmallCells', () => {
  it('hides a small count and enough others that row and column totals give nothing away', () => {
    const values = withTotals([
      [2, 10, 12, 9],
      [15, 11, 8, 20],
      [30, 7, 14, 6],
    ]);
    const relations = rowAndColumnTotals(values.length, 5);
    const { states, unprotected } = suppressSmallCells({ values, relations, threshold: 3 });
    expect(states[0]![0]).toBe('suppressed');
    expect(unprotected).toEqual([]);
    // The row total and the column total each need a second hidden cell.
    expect(states[0]!.filter((s) => s === 'suppressed').length).toBeGreaterThanOrEqual(2);
    expect(states.map((row) => row[0]).filter((s) => s === 'suppressed').length).toBeGreaterThanOrEqual(2);
    expect(recoverBySubtraction(hiddenOf(states), relations)).toEqual(new Set());
    expect(determinedCells(hiddenOf(states), relations)).toEqual(new Set());
  });

  it('suppresses nothing with a threshold of 0 or 1, and never a zero', () => {
    const values = withTotals([
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    const relations = rowAndColumnTotals(2, 5);
    for (const threshold of [0, 1]) {
      const { states } = suppressSmallCells({ values, relations, threshold });
      expect(states.flat().every((s) => s === 'shown')).toBe(true);
    }
    const { states } = suppressSmallCells({ values, relations, threshold: 3 });
    expect(states[0]![0]).toBe('suppressed');
    expect(states[0]![2]).toBe('suppressed');
  });

  it('keeps withheld cells (an open quarter) withheld and protects them as well', () => {
    const values = withTotals([
      [5, 9, 1, null],
      [8, 7, 6, null],
      [4, 4, 9, null],
    ]);
    const relations = rowAndColumnTotals(3, 5);
    const { states } = suppressSmallCells({ values, relations, threshold: 3 });
    expect(states.map((row) => row[3])).toEqual(['withheld', 'withheld', 'withheld']);
    expect(states.map((row) => row[4])).toEqual(['withheld', 'withheld', 'withheld']);
    expect(states[0]![2]).toBe('suppressed');
    expect(determinedCells(hiddenOf(states), relations)).toEqual(new Set());
  });

  it('finds a cell pinned by a combination of relations, not only by one subtraction', () => {
    // Hidden: a 2x2 block (on a cycle: free) plus one more cell alone in its column.
    const relations = rowAndColumnTotals(3, 3);
    const hidden = new Set(['0,0', '0,1', '1,0', '1,1', '2,2']);
    expect(determinedCells(hidden, relations)).toEqual(new Set(['2,2']));
  });

  it('leaves no suppressed or withheld cell recoverable from the shown totals (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 8 }).chain((rows) =>
          fc.record({
            quarters: fc.array(fc.array(fc.nat({ max: 12 }), { minLength: 4, maxLength: 4 }), {
              minLength: rows,
              maxLength: rows,
            }),
            open: fc.subarray([0, 1, 2, 3]),
            threshold: fc.integer({ min: 0, max: 6 }),
          }),
        ),
        ({ quarters, open, threshold }) => {
          const values = withTotals(quarters.map((row) => row.map((v, q) => (open.includes(q) ? null : v))));
          const relations = rowAndColumnTotals(values.length, 5);
          const { states, unprotected } = suppressSmallCells({ values, relations, threshold });
          expect(unprotected).toEqual([]);
          values.forEach((row, r) =>
            row.forEach((v, c) => {
              // Every small count is hidden; a withheld cell stays withheld.
              if (v === null) expect(states[r]![c]).toBe('withheld');
              else if (threshold > 1 && v > 0 && v < threshold) expect(states[r]![c]).toBe('suppressed');
            }),
          );
          expect([...recoverBySubtraction(hiddenOf(states), relations)]).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
