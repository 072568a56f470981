import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Actor } from '../access/index.js';
import type { Quarter } from '../domain/fiscal-calendar.js';
import type { SituationSection } from '../domain/situation.js';
import { SITUATION_SECTIONS } from '../domain/situation.js';
import { AppError } from '../platform/errors.js';
import type { AuditCommandContext } from './audit.js';

/** The command line speaks for the center on the server itself: a system actor with no user row. */
const cliActor = (command: string): Actor => ({
  userId: 0,
  email: `cli:${command}`,
  organizationId: 0,
  organizationName: '',
  role: 'center_analyst',
  sectors: [],
});

function periodOf(opts: { fy: string; quarter: string }): { fy: number; quarter: Quarter } {
  const fy = Number(opts.fy);
  const quarter = Number(opts.quarter);
  if (!Number.isInteger(fy) || fy < 1900 || fy > 9999)
    throw new AppError('validation_failed', '--fy must be a year such as 2023');
  if (![1, 2, 3, 4].includes(quarter)) throw new AppError('validation_failed', '--quarter must be 1-4');
  return { fy, quarter: quarter as Quarter };
}

/** `kyoyu publish` (the quarterly document) and `kyoyu situation pull` (candidates from a feed). */
export function registerPublishCommands(program: Command, ctx: AuditCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  program
    .command('publish')
    .description('the quarterly document: situation, statistics and lessons learned of a fiscal quarter')
    .requiredOption('--fy <year>', 'fiscal year, e.g. 2023')
    .requiredOption('--quarter <q>', 'quarter 1-4')
    .addOption(
      new Option('--format <format>', 'pdf, html, or xlsx (the statistics)')
        .choices(['pdf', 'html', 'xlsx'])
        .default('pdf'),
    )
    .addOption(
      new Option(
        '--edition <edition>',
        'full (the center’s) or public (TLP:CLEAR, a closed quarter, small counts suppressed)',
      )
        .choices(['full', 'public'])
        .default('public'),
    )
    .addOption(new Option('--lang <lang>', 'language').choices(['ja', 'en']).default('ja'))
    .option('--date <yyyy-mm-dd>', 'the date of issue on the cover (default: today)')
    .requiredOption('--out <file>', 'where to write the document')
    .addOption(dbOption())
    .action(
      async (opts: {
        db?: string;
        fy: string;
        quarter: string;
        format: 'pdf' | 'html' | 'xlsx';
        edition: 'full' | 'public';
        lang: 'ja' | 'en';
        date?: string;
        out: string;
      }) => {
        const { fy, quarter } = periodOf(opts);
        if (opts.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.date))
          throw new AppError('validation_failed', '--date must be YYYY-MM-DD');
        const doc = await withServices(opts, (s) =>
          s.publication.render(null, {
            fiscalYear: fy,
            quarter,
            edition: opts.edition,
            format: opts.format,
            lang: opts.lang,
            ...(opts.date ? { issuedOn: opts.date } : {}),
          }),
        );
        writeFileSync(opts.out, doc.body);
        io.err(`wrote ${opts.out} (${opts.edition} edition, ${opts.lang}, ${doc.body.length} bytes)\n`);
      },
    );

  const situation = program
    .command('situation')
    .description('part 1 of the quarterly document: situational items');
  situation
    .command('pull')
    .description('read an RSS or Atom feed (a URL or a file): its new entries become candidates')
    .argument('<location>', 'http(s) URL or file path')
    .addOption(
      new Option('--section <section>', 'the section candidates start in')
        .choices([...SITUATION_SECTIONS])
        .default('foreign_ci_incidents'),
    )
    .addOption(dbOption())
    .action(async (location: string, opts: { db?: string; section: SituationSection }) => {
      const result = await withServices(opts, (s) =>
        s.situation.pull(cliActor('situation pull'), location, opts.section, { allowFiles: true }),
      );
      io.out(
        `${result.added} new candidates, ${result.known} already known, ${result.outside} without a date or link\n`,
      );
    });
}
