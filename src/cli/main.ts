import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { openServices } from '../bootstrap.js';
import type { Config } from '../config.js';
import { ConfigError, defaultDatabaseUrl, loadConfig } from '../config.js';
import { ServeRefused } from '../platform/db/server-lock.js';
import { AppError } from '../platform/errors.js';
import { ImportFailed } from '../modules/import/import.service.js';
import { parseAggregatesFile } from '../modules/stats/published.js';
import type { Services } from '../services.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { progressBar } from './progress.js';
import { registerAdminCommands } from './admin.js';
import { registerBackupCommands } from './backup.js';
import { registerAuditCommands } from './audit.js';
import { registerPeriodCommands } from './period.js';
import { registerStixCommands } from './stix.js';
import { registerTaxiiCommands } from './taxii.js';
import { registerPublishCommands } from './publish.js';
import { registerRegimeCommands } from './regimes.js';
import { runDemo, runServe } from './serve.js';
import { renderStatsFile } from './stats-output.js';
import { noteDatabase, packageVersion, warnIfYearEmpty } from './database-notes.js';
import { counted } from './plural.js';

interface DbOption {
  db?: string;
}

/** Runs the CLI; returns the exit code (the bin exits with it). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = new Command('kyoyu')
    .description('kyoyu 共有: critical-infrastructure cyber incident information sharing')
    .version(packageVersion(), '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.out(t), writeErr: (t) => io.err(t) })
    .showHelpAfterError();
  const dbOption = () =>
    new Option(
      '--db <url>',
      'database: sqlite:PATH or postgres://... (default KYOYU_DATABASE_URL or ./kyoyu-data/kyoyu.sqlite)',
    );
  const config = (opts: DbOption & { port?: string; host?: string }, fallbackDb?: string): Config =>
    loadConfig(io.env, {
      ...(opts.db
        ? { databaseUrl: opts.db }
        : !io.env.KYOYU_DATABASE_URL && fallbackDb
          ? { databaseUrl: fallbackDb }
          : {}),
      ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
      ...(opts.host !== undefined ? { host: opts.host } : {}),
    });
  /** `fills`: the command puts data in (an import, a first user), so an empty database is expected. */
  const withServices = async <T>(
    opts: DbOption,
    fn: (s: Services) => Promise<T>,
    fills = false,
  ): Promise<T> => {
    const services = await openServices(config(opts));
    try {
      await noteDatabase(services, io, fills);
      return await fn(services);
    } finally {
      await services.database.close();
    }
  };

  program
    .command('serve')
    .description('serve the API (never loads demo data by itself)')
    .addOption(dbOption())
    .option('--port <n>', 'port (default PORT or 8080)')
    .option('--host <h>', 'host (default HOST or 127.0.0.1)')
    .action(async (opts: DbOption & { port?: string; host?: string }) => {
      await runServe(config(opts), io);
    });

  program
    .command('demo')
    .description(
      'create a fresh demo database (FY2019-FY2022 aggregates, FY2023 records equal to the published tables, generated records from FY2024 up to today), print its stable credentials, serve it',
    )
    .addOption(dbOption())
    .option('--port <n>', 'port (default PORT or 8080)')
    .option('--host <h>', 'host')
    .option('--no-serve', 'load the demo data and print the tokens, then exit')
    .action(async (opts: DbOption & { port?: string; host?: string; serve: boolean }) => {
      const dataDir = io.env.KYOYU_DATA_DIR ?? './kyoyu-data';
      const demoConfig = config(opts, defaultDatabaseUrl(dataDir, 'demo.sqlite'));
      // Request logs would push the printed credentials off the screen: off unless asked for.
      const logLevel = io.env.KYOYU_LOG_LEVEL ?? 'silent';
      await runDemo({ ...demoConfig, logLevel }, io, opts.serve, io.env.KYOYU_DEMO_SEED || undefined);
    });

  program
    .command('migrate')
    .description('apply database migrations')
    .addOption(dbOption())
    .action(async (opts: DbOption) => {
      const services = await openServices(config(opts));
      io.err(`database: ${services.database.description}\n`);
      await services.database.close();
      io.out(
        services.migrated.length ? `applied: ${services.migrated.join(', ')}\n` : 'database is up to date\n',
      );
    });

  program
    .command('import')
    .description(
      'import report lines from FILE (.jsonl or .csv): all or nothing; re-importing changes nothing',
    )
    .argument('<file>')
    .addOption(dbOption())
    .option('--source <name>', 'namespace of the refs in this file', 'import')
    .action(async (file: string, opts: DbOption & { source: string }) => {
      const summary = await withServices(
        opts,
        (s) =>
          s.imports.importFile(file, {
            source: opts.source,
            onProgress: io.stderr ? progressBar(io.stderr) : undefined,
          }),
        true,
      );
      io.out(
        `imported ${file}: ${counted(summary.lines, 'line')}, ` +
          `${counted(summary.incidents_created, 'new incident')}, ` +
          `${counted(summary.reports_added, 'report')} added, ${summary.unchanged} unchanged\n`,
      );
    });

  const aggregates = program
    .command('aggregates')
    .description('published aggregate figures for fiscal years without records');
  aggregates
    .command('import')
    .argument(
      '<file>',
      'JSON shaped like the published table: columns plus values per code in channels, events, causes, attack_types',
    )
    .addOption(dbOption())
    .action(async (file: string, opts: DbOption) => {
      const stored = await withServices(
        opts,
        async (s) => {
          let json: unknown;
          try {
            json = JSON.parse(readFileSync(file, 'utf8'));
          } catch (error) {
            throw new AppError('malformed_json', `${file}: ${(error as Error).message}`);
          }
          let values;
          try {
            values = parseAggregatesFile(json, s.taxonomy);
          } catch (error) {
            throw new AppError('validation_failed', `${file}: ${(error as Error).message}`);
          }
          return s.stats.importAggregates(values);
        },
        true,
      );
      io.out(`stored ${stored.stored} published figures from ${file}\n`);
    });

  program
    .command('stats')
    .description('the information-sharing statistics of a fiscal year (JSON on stdout by default)')
    .requiredOption('--fy <year>', 'fiscal year, e.g. 2023')
    .option('--history <n>', 'past fiscal years as totals', '4')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['json', 'csv', 'xlsx', 'html'])
        .default('json'),
    )
    .option('--out <file>', 'write to FILE instead of stdout')
    .addOption(dbOption())
    .action(
      async (
        opts: DbOption & {
          fy: string;
          history: string;
          format: 'json' | 'csv' | 'xlsx' | 'html';
          out?: string;
        },
      ) => {
        const fy = Number(opts.fy);
        const history = Number(opts.history);
        if (!Number.isInteger(fy) || fy < 1900 || fy > 9999)
          throw new AppError('validation_failed', '--fy must be a year such as 2023');
        if (!Number.isInteger(history) || history < 0 || history > 20)
          throw new AppError('validation_failed', '--history must be 0-20');
        const stats = await withServices(opts, async (s) => {
          await warnIfYearEmpty(s, fy, io);
          return s.stats.infoSharing(fy, history);
        });
        const content = await renderStatsFile(stats, opts.format);
        if (opts.out) {
          writeFileSync(opts.out, content);
          io.err(`wrote ${opts.out}\n`);
        } else if (typeof content === 'string') io.out(content);
        else throw new AppError('validation_failed', 'xlsx is binary: give --out FILE');
      },
    );

  registerAdminCommands(program, { io, dbOption, withServices });
  registerBackupCommands(program, { io, dbOption });
  registerAuditCommands(program, { io, dbOption, withServices });
  registerPeriodCommands(program, { io, dbOption, withServices });
  registerStixCommands(program, { io, dbOption, withServices });
  registerTaxiiCommands(program, { io, dbOption, withServices });
  registerPublishCommands(program, { io, dbOption, withServices });
  registerRegimeCommands(program, io);

  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ServeRefused) {
    io.err(`error [${error.code}]: ${error.message}\n`);
    return 1;
  }
  if (error instanceof ImportFailed) {
    for (const e of error.errors) io.err(`line ${e.line}: ${e.field}: ${e.code}: ${e.message}\n`);
    io.err(`error [import_failed]: ${error.message}\n`);
    return 1;
  }
  if (error instanceof AppError) {
    const line =
      error.details && !Array.isArray(error.details) && 'line' in error.details
        ? ` (line ${String(error.details.line)})`
        : '';
    io.err(`error [${error.code}]: ${error.message}${line}\n`);
    if (Array.isArray(error.details))
      for (const d of error.details) io.err(`  ${d.field}: ${d.code}: ${d.message}\n`);
    return 1;
  }
  if (error instanceof ConfigError) {
    io.err(`error [config]: ${error.message}\n`);
    return 2;
  }
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') {
    io.err(`error [file_not_found]: ${e.path ?? e.message}\n`);
    return 1;
  }
  io.err(`error: ${e.message ?? String(error)}\n`);
  return 1;
}

// Run when executed directly (tsx src/cli/main.ts), not when imported by the bin or tests.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exit(await main(process.argv)); // see bin/kyoyu.js for why exit explicitly
}
