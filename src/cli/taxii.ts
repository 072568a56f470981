import type { Command } from 'commander';
import { AppError } from '../platform/errors.js';
import type { AuditCommandContext } from './audit.js';

interface PullOptions {
  db?: string;
  collection: string;
  user?: string;
  password?: string;
  token?: string;
}

/** `kyoyu taxii pull URL --collection ID`: another TAXII 2.1 server's collection into a local feed. */
export function registerTaxiiCommands(program: Command, ctx: AuditCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  const taxii = program.command('taxii').description('TAXII 2.1: pull collections from other servers');
  taxii
    .command('pull')
    .description(
      'fetch a remote collection (only what is new since the last pull) into feed:<host>/<collection>',
    )
    .argument('<url>', "the server's discovery URL (…/taxii2/) or an API root")
    .requiredOption('--collection <id>', 'the remote collection id')
    .option('--user <user>', 'HTTP Basic user name')
    .option('--password <password>', 'HTTP Basic password (or KYOYU_TAXII_PASSWORD)')
    .option('--token <token>', 'a bearer token (or KYOYU_TAXII_TOKEN)')
    .addOption(dbOption())
    .action(async (url: string, opts: PullOptions) => {
      try {
        new URL(url);
      } catch {
        throw new AppError('validation_failed', `not a URL: ${url}`);
      }
      const token = opts.token ?? io.env.KYOYU_TAXII_TOKEN;
      const password = opts.password ?? io.env.KYOYU_TAXII_PASSWORD;
      const result = await withServices(opts, (s) =>
        s.taxiiFeeds.pullNow({
          url,
          collection: opts.collection,
          ...(opts.user !== undefined ? { user: opts.user, password } : token ? { token } : {}),
        }),
      );
      if (!result)
        throw new AppError('conflict', 'another process is pulling this collection now; try again later');
      io.out(`fetched ${result.fetched}, new ${result.new}\n`);
    });
}
