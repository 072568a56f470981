/**
 * kyoyu does not copy PostgreSQL databases itself: pg_dump takes a consistent snapshot while the
 * servers run, and pg_restore knows every object type; a home-made copy would know fewer. These
 * refusals print the commands to use instead, for the very database the user named.
 */
export class PostgresBackupRefused extends Error {}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** The connection URL as pg_dump takes it: no password (use PGPASSWORD or ~/.pgpass), no `schema`. */
function connection(url: string): { dbname: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  parsed.password = '';
  return { dbname: parsed.toString(), schema };
}

export function pgDumpCommand(url: string, file: string): string {
  const { dbname, schema } = connection(url);
  return `pg_dump -Fc --dbname=${quote(dbname)}${schema ? ` --schema=${schema}` : ''} --file=${quote(file)}`;
}

export function pgRestoreCommand(url: string, file: string): string {
  const { dbname, schema } = connection(url);
  return (
    `pg_restore --clean --if-exists --no-owner --exit-on-error --single-transaction ` +
    `--dbname=${quote(dbname)}${schema ? ` --schema=${schema}` : ''} ${quote(file)}`
  );
}

export function refuseBackup(url: string, file: string): never {
  throw new PostgresBackupRefused(
    'kyoyu backup copies SQLite databases only; for PostgreSQL use pg_dump, which is consistent ' +
      `while kyoyu serves:\n  ${pgDumpCommand(url, file)}\n` +
      '(see "Backup and restore" in the README)',
  );
}

export function refuseRestore(url: string, file: string): never {
  const { schema } = connection(url);
  throw new PostgresBackupRefused(
    'kyoyu restore replaces SQLite databases only; for PostgreSQL stop every kyoyu serve on the ' +
      `database, then use pg_restore on a dump made with pg_dump -Fc:\n  ${pgRestoreCommand(url, file)}\n` +
      // pg_restore --schema restores the objects in the schema, not the schema itself.
      (schema ? `(the schema must exist: create schema ${schema})\n` : '') +
      '(see "Backup and restore" in the README)',
  );
}
