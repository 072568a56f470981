/**
 * Small-cell suppression with secondary suppression, as pure code.
 *
 * A table of counts is published beside totals that are shown elsewhere (a sector's year total in
 * the same row, a quarter's operator_report total in the channel table). Hiding a small count is
 * useless if it can be recovered from such a total by subtraction, so after the small cells
 * (primary suppression) are hidden, further cells (secondary suppression) are hidden until no
 * hidden cell is determined by the known relations at all, not only by one subtraction: a cell is
 * recoverable exactly when its unit vector lies in the span of the relations restricted to the
 * hidden cells, which Gaussian elimination decides.
 */

/** A sum of cells (with coefficients, usually 1 and -1) whose value a reader knows. */
export type Relation = ReadonlyArray<readonly [row: number, column: number, coefficient: number]>;

export type CellState = 'shown' | 'suppressed' | 'withheld';

export interface SuppressionInput {
  /** The counts; null marks a cell withheld for another reason (an open quarter): it stays hidden and is protected too. */
  values: ReadonlyArray<ReadonlyArray<number | null>>;
  relations: readonly Relation[];
  /** Counts 1 .. threshold-1 are suppressed; a threshold of 0 or 1 suppresses nothing. */
  threshold: number;
}

export interface SuppressionResult {
  states: CellState[][];
  /** Cells that could not be protected (the relations pin them whatever else is hidden); empty for any table with two rows and two columns or more. */
  unprotected: Array<[number, number]>;
}

/**
 * A prime for exact elimination: the relations of a table with known margins form a totally
 * unimodular matrix (every square submatrix has determinant 0 or +-1), so its rank modulo any prime
 * equals its rank over the rationals, and arithmetic modulo p never overflows a double (p^2 < 2^53).
 */
const P = 1_000_003;
const mod = (a: number) => ((a % P) + P) % P;

function inverse(a: number): number {
  // Fermat: a^(p-2) mod p, by repeated squaring.
  let result = 1;
  let base = mod(a);
  for (let e = P - 2; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = (result * base) % P;
    base = (base * base) % P;
  }
  return result;
}

/** The hidden cells (keys `r,c`) whose value the relations determine, given the shown ones. */
export function determinedCells(hidden: ReadonlySet<string>, relations: readonly Relation[]): Set<string> {
  const unknowns = [...hidden];
  const index = new Map(unknowns.map((k, i) => [k, i]));
  const rows: number[][] = [];
  for (const relation of relations) {
    const row = new Array<number>(unknowns.length).fill(0);
    let any = false;
    for (const [r, c, coefficient] of relation) {
      const i = index.get(`${r},${c}`);
      if (i === undefined) continue;
      row[i] = mod(row[i]! + coefficient);
      any = true;
    }
    if (any) rows.push(row);
  }
  // Reduced row echelon form.
  let pivotRow = 0;
  const pivots: Array<[row: number, column: number]> = [];
  for (let col = 0; col < unknowns.length && pivotRow < rows.length; col++) {
    const found = rows.findIndex((row, i) => i >= pivotRow && row[col] !== 0);
    if (found < 0) continue;
    [rows[pivotRow], rows[found]] = [rows[found]!, rows[pivotRow]!];
    const pivot = rows[pivotRow]!;
    const inv = inverse(pivot[col]!);
    for (let j = 0; j < pivot.length; j++) pivot[j] = (pivot[j]! * inv) % P;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (i === pivotRow || row[col] === 0) continue;
      const factor = row[col]!;
      for (let j = 0; j < row.length; j++) row[j] = mod(row[j]! - factor * pivot[j]!);
    }
    pivots.push([pivotRow, col]);
    pivotRow++;
  }
  // e_i lies in the row space exactly when column i is a pivot whose row has no other entry.
  const determined = new Set<string>();
  for (const [r, col] of pivots) {
    if (rows[r]!.every((v, j) => j === col || v === 0)) determined.add(unknowns[col]!);
  }
  return determined;
}

/**
 * Hides the counts below the threshold and, greedily, the smallest further counts that share a
 * relation with a recoverable hidden cell, until no hidden cell is recoverable.
 */
export function suppressSmallCells(input: SuppressionInput): SuppressionResult {
  const { values, relations, threshold } = input;
  const states: CellState[][] = values.map((row) =>
    row.map((v) =>
      v === null ? 'withheld' : threshold > 1 && v > 0 && v < threshold ? 'suppressed' : 'shown',
    ),
  );
  const hidden = new Set<string>();
  states.forEach((row, r) => row.forEach((s, c) => s !== 'shown' && hidden.add(`${r},${c}`)));
  const unprotected: Array<[number, number]> = [];
  // Nothing below the threshold: withheld cells alone are not this function's business to protect.
  if (!states.some((row) => row.includes('suppressed'))) return { states, unprotected };

  for (;;) {
    const exposed = [...determinedCells(hidden, relations)];
    if (exposed.length === 0) break;
    const target = exposed[0]!;
    const [tr, tc] = target.split(',').map(Number) as [number, number];
    // The shown cells sharing a relation with the exposed one; failing that, any shown cell.
    let candidates: Array<[number, number]> = [];
    for (const relation of relations) {
      if (!relation.some(([r, c]) => r === tr && c === tc)) continue;
      for (const [r, c] of relation) if (!hidden.has(`${r},${c}`)) candidates.push([r, c]);
    }
    if (candidates.length === 0) {
      candidates = [];
      states.forEach((row, r) => row.forEach((s, c) => s === 'shown' && candidates.push([r, c])));
    }
    if (candidates.length === 0) {
      for (const k of exposed) unprotected.push(k.split(',').map(Number) as [number, number]);
      break;
    }
    // The smallest count loses least; ties go to the first in reading order (deterministic output).
    candidates.sort((a, b) => values[a[0]]![a[1]]! - values[b[0]]![b[1]]! || a[0] - b[0] || a[1] - b[1]);
    const [r, c] = candidates[0]!;
    states[r]![c] = 'suppressed';
    hidden.add(`${r},${c}`);
  }
  return { states, unprotected };
}

/**
 * The relations of a table whose rows carry their own total in the last column (Q1..Q4, year) and
 * whose column sums are known elsewhere: each row's parts minus its total is 0, and each column sums
 * to a published figure.
 */
export function rowAndColumnTotals(rows: number, columns: number): Relation[] {
  const relations: Relation[] = [];
  for (let r = 0; r < rows; r++) {
    relations.push(Array.from({ length: columns }, (_, c) => [r, c, c === columns - 1 ? -1 : 1] as const));
  }
  for (let c = 0; c < columns; c++)
    relations.push(Array.from({ length: rows }, (_, r) => [r, c, 1] as const));
  return relations;
}
