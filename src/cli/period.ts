import type { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import { cliWho } from '../modules/audit/audit.service.js';
import type { PeriodView } from '../modules/periods/period.service.js';
import type { AuditCommandContext } from './audit.js';

interface PeriodOptions {
  db?: string;
  fy: string;
  quarter: string;
}

function parsePeriod(opts: { fy: string; quarter?: string }): { fy: number; quarter: 1 | 2 | 3 | 4 } {
  const fy = Number(opts.fy);
  const quarter = Number(opts.quarter ?? 1);
  if (!Number.isInteger(fy) || fy < 2000 || fy > 9999)
    throw new AppError('validation_failed', '--fy must be a fiscal year such as 2023');
  if (!Number.isInteger(quarter) || quarter < 1 || quarter > 4)
    throw new AppError('validation_failed', '--quarter must be 1, 2, 3 or 4');
  return { fy, quarter: quarter as 1 | 2 | 3 | 4 };
}

/** One period per line, fields first so that scripts can pick them out. */
export function periodLine(p: PeriodView): string {
  const late = p.late_filings === null ? '' : ` late_filings=${p.late_filings}`;
  const closed = p.closed_at ? ` closed_at=${p.closed_at} by=${p.closed_by}` : '';
  return `FY${p.fiscal_year}Q${p.quarter} ${p.state}${p.ended ? '' : ' (running)'}${closed}${late}\n`;
}

/** `kyoyu period ...`: closing fiscal quarters (the CLI on the server acts as the center). */
export function registerPeriodCommands(program: Command, ctx: AuditCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  const period = program
    .command('period')
    .description('close and reopen fiscal quarters; a closed quarter keeps its figures');
  period
    .command('close')
    .description('close an ended quarter: its statistics are kept as they are now')
    .requiredOption('--fy <year>', 'fiscal year, e.g. 2023')
    .requiredOption('--quarter <q>', 'fiscal quarter 1-4')
    .addOption(dbOption())
    .action(async (opts: PeriodOptions) => {
      const { fy, quarter } = parsePeriod(opts);
      const view = await withServices(opts, (s) => s.periods.close(cliWho('period close'), fy, quarter));
      io.out(periodLine(view));
    });
  period
    .command('reopen')
    .description('reopen a closed quarter: its late filings count from now on')
    .requiredOption('--fy <year>', 'fiscal year, e.g. 2023')
    .requiredOption('--quarter <q>', 'fiscal quarter 1-4')
    .addOption(dbOption())
    .action(async (opts: PeriodOptions) => {
      const { fy, quarter } = parsePeriod(opts);
      const view = await withServices(opts, (s) => s.periods.reopen(cliWho('period reopen'), fy, quarter));
      io.out(periodLine(view));
    });
  period
    .command('list')
    .description('the closed quarters (with --fy: the four quarters of that year) and their late filings')
    .option('--fy <year>', 'fiscal year, e.g. 2023')
    .addOption(dbOption())
    .action(async (opts: { db?: string; fy?: string }) => {
      const fy = opts.fy === undefined ? undefined : parsePeriod({ fy: opts.fy }).fy;
      const views = await withServices(opts, (s) => s.periods.list(fy));
      for (const v of views) io.out(periodLine(v));
      if (views.length === 0) io.out('no closed quarters\n');
    });
  period
    .command('late-filings')
    .description('records counted in a closed quarter that arrived or changed after its closing')
    .requiredOption('--fy <year>', 'fiscal year, e.g. 2023')
    .requiredOption('--quarter <q>', 'fiscal quarter 1-4')
    .addOption(dbOption())
    .action(async (opts: PeriodOptions) => {
      const { fy, quarter } = parsePeriod(opts);
      const late = await withServices(opts, (s) => s.periods.lateFilings(fy, quarter));
      for (const i of late.items)
        io.out(`${i.id} ${i.ref} ${i.channel} received=${i.first_received_at} changed=${i.updated_at}\n`);
      io.out(`FY${fy}Q${quarter}: ${late.count} late filings since ${late.closed_at}\n`);
    });
}
