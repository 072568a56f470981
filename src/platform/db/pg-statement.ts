import type { Kysely } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { Row } from './dialect.js';
import type { DB } from './schema.js';

/**
 * SQL text with positional parameters, built by string concatenation: the PostgreSQL dialect's hot
 * statements (a new incident, bulk writes, the audit append). Kysely's `sql` template builds an
 * operation-node tree, freezes it and compiles it on every call, which cost as much CPU per
 * request as the rest of a new incident's write; this costs a string and an array.
 */
export class Statement {
  readonly values: unknown[] = [];
  text = '';

  /** Appends SQL text (identifiers through `ident`, values only through `param`). */
  add(text: string): this {
    this.text += text;
    return this;
  }

  /** A parameter placeholder for `value`, with a cast where the server cannot infer the type. */
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${cast}` : `$${this.values.length}`;
  }

  /** Runs the statement in `db` (a transaction or the database). */
  async run<R>(db: Kysely<DB>): Promise<R[]> {
    const result = await db.executeQuery<R>(CompiledQuery.raw(this.text, this.values));
    return result.rows;
  }
}

/** A quoted identifier (a column or table name). */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export const idents = (names: readonly string[]) => names.map(ident).join(', ');

// Columns that hold integers; every other column written in bulk is text.
const INTEGER_COLUMNS = new Set([
  'id',
  'organization_id',
  'center_classified_by',
  'state_changed_by',
  'version',
  'incident_id',
  'created_by',
  'shard',
  'n',
]);

/** The array type a column's values travel in. */
export const arrayType = (column: string) => (INTEGER_COLUMNS.has(column) ? 'int[]' : 'text[]');

/** One array parameter per column: a handful of parameters however many rows. */
export function arrays(st: Statement, rows: readonly Row[], columns: readonly string[]): string {
  return columns
    .map((c) =>
      st.param(
        rows.map((r) => r[c] ?? null),
        arrayType(c),
      ),
    )
    .join(', ');
}

/**
 * Names for statements run outside a transaction, so that each pooled connection parses and plans
 * a statement once and then only binds it (measured: a fifth more new incidents per second). One
 * name per distinct text; a write's text varies only with its shape (which columns and child
 * tables it has), so there are few, and past `limit` texts run unnamed.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  constructor(private readonly limit = 256) {}

  nameOf(text: string): string | undefined {
    let name = this.names.get(text);
    if (name === undefined && this.names.size < this.limit) {
      name = `kyoyu_${this.names.size + 1}`;
      this.names.set(text, name);
    }
    return name;
  }
}
