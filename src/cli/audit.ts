import { readFileSync, writeFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { AppError } from '../platform/errors.js';
import type { ChainProblem } from '../modules/audit/audit.chain.js';
import type { Checkpoint } from '../modules/audit/audit.checkpoint.js';
import { parseCheckpoint, signatureProblem, signCheckpoint } from '../modules/audit/audit.checkpoint.js';
import { loadSigningKey } from '../modules/audit/signing-key.js';
import type { Services } from '../services.js';
import type { CliIo } from './io.js';
import { counted } from './plural.js';

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
  return `chain=${p.chain ?? '-'} seq=${p.seq ?? '-'} id=${p.id ?? '-'} kind=${p.kind}: ${p.message}\n`;
}

/** `kyoyu audit ...`: the tamper-evident audit trail. */
export function registerAuditCommands(program: Command, ctx: AuditCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  const audit = program.command('audit').description('the tamper-evident audit trail');
  const verify = audit
    .command('verify')
    .description(
      'walk every hash chain and report each changed, removed or inserted entry, missing chain and incident without its creation entry (exit 1 if there is any)',
    )
    .addOption(dbOption())
    .option('--checkpoint <file>', 'also check that the trail still holds this signed checkpoint')
    .option('--max-problems <n>', 'problems listed one by one (the total is always given)', '1000');
  verify.action(async (opts: DbOption & { maxProblems: string; checkpoint?: string }) => {
    const max = Number(opts.maxProblems);
    if (!Number.isInteger(max) || max < 0)
      throw new AppError('validation_failed', '--max-problems must be a whole number');
    const file = opts.checkpoint;
    const checkpoint = file === undefined ? undefined : parseCheckpoint(readFileSync(file, 'utf8'), file);
    let listed = 0;
    const summary = await withServices(opts, (s) => {
      if (checkpoint) {
        // Against the configured key, never the one the file names: anyone can sign with their own.
        const key = loadSigningKey(s.config.auditSigningKeyFile, { create: false });
        const bad = signatureProblem(checkpoint, key.publicKey);
        if (bad) throw new AppError('validation_failed', `${file}: ${bad}`);
      }
      return s.audit.verify(
        (problem) => {
          if (listed++ < max) io.out(problemLine(problem));
        },
        { checkpoint },
      );
    });
    const where = `${counted(summary.entries, 'entry', 'entries')} in ${counted(summary.chains, 'chain')}`;
    if (summary.problems === 0) {
      io.out(`ok: ${where}${checkpoint ? `; the checkpoint of ${checkpoint.created_at} holds` : ''}\n`);
      return;
    }
    if (summary.problems > max) io.out(`... and ${summary.problems - max} more\n`);
    verify.error(`audit trail NOT intact: ${counted(summary.problems, 'problem')} in ${where}`, {
      exitCode: 1,
      code: 'kyoyu.audit.broken',
    });
  });

  const checkpoint = audit
    .command('checkpoint')
    .description(
      'verify the trail, then write its chain heads signed with the audit signing key (JSON) to FILE or stdout: keep it where the database administrators cannot write',
    )
    .addOption(dbOption())
    .option('--out <file>', 'write to FILE instead of stdout');
  checkpoint.action(async (opts: DbOption & { out?: string }) => {
    let problems = 0;
    const signed = await withServices(opts, async (s): Promise<Checkpoint | null> => {
      const key = loadSigningKey(s.config.auditSigningKeyFile, { create: true });
      if (!key.privateKey)
        throw new AppError('validation_failed', `${key.path} holds only a public key: it cannot sign`);
      const summary = await s.audit.verify((problem) => {
        if (problems++ < 20) io.err(problemLine(problem));
      });
      // A checkpoint vouches for what it records: one over a broken trail would bless the damage.
      if (summary.problems > 0) return null;
      return signCheckpoint(summary.heads, s.audit.chainCount, key.privateKey);
    });
    if (!signed) {
      checkpoint.error(`audit trail NOT intact: ${counted(problems, 'problem')}; no checkpoint written`, {
        exitCode: 1,
        code: 'kyoyu.audit.broken',
      });
      return;
    }
    const text = JSON.stringify(signed, null, 2) + '\n';
    if (opts.out) {
      writeFileSync(opts.out, text);
      io.err(`wrote ${opts.out}: ${counted(signed.chains.length, 'chain head')}, signed\n`);
    } else io.out(text);
  });

  audit
    .command('list')
    .description('entries newest first as JSON lines, details included (the server operator sees everything)')
    .addOption(dbOption())
    .option('--object-type <type>', 'e.g. incident')
    .option('--object-id <id>', "the object's id")
    .option('--action <action>', 'e.g. incident.classify')
    .option('--limit <n>', 'at most this many entries (1-500)', '100')
    .action(
      async (opts: DbOption & { objectType?: string; objectId?: string; action?: string; limit: string }) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500)
          throw new AppError('validation_failed', '--limit must be 1-500');
        const page = await withServices(opts, (s) =>
          s.audit.list({ objectType: opts.objectType, objectId: opts.objectId, action: opts.action }, limit),
        );
        for (const item of page.items) io.out(JSON.stringify(item) + '\n');
      },
    );
}
