import type { Command, Option } from 'commander';
import { AppError } from '../errors.js';
import type { ChainProblem } from '../modules/audit/audit.chain.js';
import type { Services } from '../services.js';
import type { CliIo } from './io.js';

interface DbOption {
  db?: string;
}

export interface AuditCommandContext {
  io: CliIo;
  dbOption: () => Option;
  withServices: <T>(opts: DbOption, fn: (s: Services) => Promise<T>) => Promise<T>;
}

/** One problem per line, fields first so that scripts can pick them out. */
export function problemLine(p: ChainProblem): string {
  return `chain=${p.chain} seq=${p.seq ?? '-'} id=${p.id ?? '-'} kind=${p.kind}: ${p.message}\n`;
}

/** `kyoyu audit ...`: the tamper-evident audit trail. */
export function registerAuditCommands(program: Command, ctx: AuditCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  const audit = program.command('audit').description('the tamper-evident audit trail');
  const verify = audit
    .command('verify')
    .description(
      'walk every hash chain and report each changed, removed or inserted entry (exit 1 if there is any)',
    )
    .addOption(dbOption())
    .option('--max-problems <n>', 'problems listed one by one (the total is always given)', '1000');
  verify.action(async (opts: DbOption & { maxProblems: string }) => {
    const max = Number(opts.maxProblems);
    if (!Number.isInteger(max) || max < 0)
      throw new AppError(400, 'validation_failed', '--max-problems must be a whole number');
    let listed = 0;
    const summary = await withServices(opts, (s) =>
      s.audit.verify((problem) => {
        if (listed++ < max) io.out(problemLine(problem));
      }),
    );
    const where = `${summary.entries} entries in ${summary.chains} chains`;
    if (summary.problems === 0) {
      io.out(`ok: ${where}\n`);
      return;
    }
    if (summary.problems > max) io.out(`... and ${summary.problems - max} more\n`);
    verify.error(`audit trail NOT intact: ${summary.problems} problem(s) in ${where}`, {
      exitCode: 1,
      code: 'kyoyu.audit.broken',
    });
  });
}
