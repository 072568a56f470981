import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';

/** Every difference between SQLite and PostgreSQL lives here. */
export type DialectName = 'sqlite' | 'postgres';

export function idType(dialect: DialectName): ColumnDataType {
  return dialect === 'postgres' ? 'serial' : 'integer';
}

/** A surrogate key: `serial primary key` on PostgreSQL, `integer primary key autoincrement` on SQLite. */
export function idColumn(dialect: DialectName) {
  return (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement();
}

/** SQLite binds at most 32,766 parameters a statement, PostgreSQL 65,535; stay well below both. */
export const MAX_PARAMS = 30_000;

export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.floor(MAX_PARAMS / columns));
}

/** Counter shards: concurrent writers on PostgreSQL rarely touch the same rollup row. */
export function rollupShards(dialect: DialectName): number {
  return dialect === 'postgres' ? 16 : 1;
}

/**
 * Audit chains: each append locks its chain's head until commit, so on PostgreSQL concurrent writers
 * take different chains instead of queueing on one row. SQLite has one writer anyway.
 */
export function auditChains(dialect: DialectName): number {
  return dialect === 'postgres' ? 16 : 1;
}
