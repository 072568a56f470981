import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command, Option } from 'commander';
import { AppError } from '../platform/errors.js';
import { importBundleBody } from '../modules/stix/stix.schema.js';
import type { Services } from '../services.js';
import type { CliIo } from './io.js';
import { counted } from './plural.js';

interface DbOption {
  db?: string;
}
export interface StixCommandContext {
  io: CliIo;
  dbOption: () => Option;
  withServices: <T>(opts: DbOption, fn: (s: Services) => Promise<T>, fills?: boolean) => Promise<T>;
}

function readBundle(file: string) {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code) throw error;
    throw new AppError('malformed_json', `${file}: ${(error as Error).message}`);
  }
  const bundle = importBundleBody.safeParse(json);
  if (!bundle.success)
    throw new AppError('validation_failed', `${file}: not a STIX 2.1 bundle (type "bundle", id, objects)`);
  return bundle.data;
}

/** `kyoyu stix ...`: STIX 2.1 bundles in (incoming intelligence) and out (a fiscal year's incidents). */
export function registerStixCommands(program: Command, ctx: StixCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  const stix = program.command('stix').description('STIX 2.1 bundles: import intelligence, export incidents');
  stix
    .command('import')
    .description(
      'store a STIX 2.1 bundle file as incoming intelligence (invalid objects are refused one by one)',
    )
    .argument('<file>')
    .addOption(dbOption())
    .action(async (file: string, opts: DbOption) => {
      const bundle = readBundle(file);
      const result = await withServices(opts, (s) => s.stix.importFile(basename(file), bundle), true);
      for (const r of result.refused) io.err(`refused ${r.id}: ${r.reason}\n`);
      io.out(
        `imported ${file}: ${counted(result.received, 'object')} received, ${result.new} new, ${result.refused.length} refused\n`,
      );
    });
  stix
    .command('export')
    .description("a fiscal year's received operator incidents as one STIX 2.1 bundle")
    .requiredOption('--fy <year>', 'fiscal year, e.g. 2023')
    .option(
      '--anonymise',
      'no organisation, person, address, host or reporter text: the taxonomy only',
      false,
    )
    .requiredOption('--out <file>', 'the bundle file to write')
    .addOption(dbOption())
    .action(async (opts: DbOption & { fy: string; anonymise: boolean; out: string }) => {
      const fy = Number(opts.fy);
      if (!Number.isInteger(fy) || fy < 1900 || fy > 9999)
        throw new AppError('validation_failed', '--fy must be a year such as 2023');
      const bundle = await withServices(opts, (s) => s.stix.exportYear(fy, { anonymise: opts.anonymise }));
      writeFileSync(opts.out, `${JSON.stringify(bundle, null, 2)}\n`);
      const incidents = bundle.objects.filter((o) => o.type === 'incident').length;
      io.out(
        `wrote ${opts.out}: ${counted(incidents, 'incident')}, ${counted(bundle.objects.length, 'object')}${opts.anonymise ? ' (anonymised)' : ''}\n`,
      );
    });
}
