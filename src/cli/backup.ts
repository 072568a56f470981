import type { Command, Option } from 'commander';
import { loadConfig } from '../config.js';
import { backupDatabase, restoreDatabase } from '../modules/backup/backup.service.js';
import type { BackupResult } from '../modules/backup/backup.service.js';
import { describeSummary } from '../modules/backup/inspect.js';
import type { CliIo } from './io.js';

interface Options {
  db?: string;
  force?: boolean;
}

const size = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const done = (verb: string, r: BackupResult, from: string, to: string) =>
  `${verb} ${from} to ${to} in ${r.ms} ms (${size(r.bytes)}): ${describeSummary(r.summary)}\n`;

/** `kyoyu backup FILE` and `kyoyu restore FILE`; the logic is in src/modules/backup. */
export function registerBackupCommands(program: Command, ctx: { io: CliIo; dbOption: () => Option }): void {
  const { io, dbOption } = ctx;
  const databaseUrl = (opts: Options) =>
    loadConfig(io.env, opts.db ? { databaseUrl: opts.db } : {}).databaseUrl;

  program
    .command('backup')
    .description(
      'copy the SQLite database to FILE, consistent while kyoyu serves (PostgreSQL: prints the pg_dump command)',
    )
    .argument('<file>', 'a new file: the backup never overwrites one')
    .addOption(dbOption())
    .action(async (file: string, opts: Options) => {
      const result = await backupDatabase(databaseUrl(opts), file);
      io.out(done('backed up', result, `sqlite:${result.database}`, result.file));
    });

  program
    .command('restore')
    .description(
      'replace the SQLite database with the backup in FILE, checked first; stop kyoyu serve before (PostgreSQL: prints the pg_restore command)',
    )
    .argument('<file>', 'a file written by kyoyu backup')
    .addOption(dbOption())
    .option('--force', 'replace a database that holds data')
    .action(async (file: string, opts: Options) => {
      const result = await restoreDatabase(databaseUrl(opts), file, { force: opts.force === true });
      io.out(done('restored', result, result.file, `sqlite:${result.database}`));
    });
}
