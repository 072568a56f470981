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
  const taxii = program
    .command('taxii')
    .description('TAXII 2.1: pull collections from other servers, publish incidents');
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
      checkedUrl(url);
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

  taxii
    .command('publish')
    .description(
      'publish the incidents changed since the last run into their TAXII collections now (`kyoyu serve` does so every 15 s)',
    )
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      // Everything pending, a run's budget at a time (after a large import, many runs).
      const total = await withServices(opts, async (s) => {
        const sum = { incidents: 0, added: 0, withdrawn: 0 };
        for (let more = true; more;) {
          const run = await s.incidentPublisher.publishChanges();
          sum.incidents += run.incidents;
          sum.added += run.added;
          sum.withdrawn += run.withdrawn;
          more = run.more;
        }
        return sum;
      });
      io.out(`incidents ${total.incidents}, objects added ${total.added}, withdrawn ${total.withdrawn}\n`);
    });

  const feed = taxii.command('feed').description('remote collections the server pulls on a schedule');
  feed
    .command('add')
    .description('add (or change) a feed: every `kyoyu serve` process pulls it when due, one at a time')
    .argument('<name>', 'a name of your choice (the local collection is feed:<host>/<collection>)')
    .argument('<url>', "the server's discovery URL (…/taxii2/) or an API root")
    .requiredOption('--collection <id>', 'the remote collection id')
    .requiredOption('--every <minutes>', 'how often, in minutes (at least 1)')
    .option(
      '--credentials-env <variable>',
      'the environment variable of `kyoyu serve` that holds `user:password` (Basic) or a token; never the secret itself',
    )
    .addOption(dbOption())
    .action(async (name: string, url: string, opts: FeedOptions) => {
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
        throw new AppError('validation_failed', 'a feed name is 1-64 letters, digits, ".", "_" or "-"');
      checkedUrl(url);
      const minutes = Number(opts.every);
      if (!Number.isInteger(minutes) || minutes < 1 || minutes > 525_600)
        throw new AppError('validation_failed', '--every is a whole number of minutes from 1 to 525600');
      if (opts.credentialsEnv !== undefined && !/^[A-Z_][A-Z0-9_]{0,127}$/.test(opts.credentialsEnv))
        throw new AppError(
          'validation_failed',
          '--credentials-env names an environment variable (A-Z, 0-9, _)',
        );
      await withServices(opts, (s) =>
        s.taxiiFeeds.configure({
          name,
          url,
          collection: opts.collection,
          intervalSeconds: minutes * 60,
          ...(opts.credentialsEnv !== undefined ? { credentialsRef: opts.credentialsEnv } : {}),
        }),
      );
      io.out(`feed ${name}: ${url} collection ${opts.collection}, every ${minutes} min\n`);
    });
  feed
    .command('list')
    .description('the configured feeds: when each was last pulled, with what result, and when it is next due')
    .addOption(dbOption())
    .action(async (opts: { db?: string }) => {
      const feeds = await withServices(opts, (s) => s.taxiiFeeds.list());
      if (feeds.length === 0) io.out('no feeds configured\n');
      for (const f of feeds)
        io.out(
          `${f.name}\t${f.url}\t${f.collection_id}\tevery ${f.interval_seconds / 60} min\tlast ${f.last_run_at ?? '-'} ${f.last_result ?? ''}\tnext ${f.next_run_at}\n`,
        );
    });
}

interface FeedOptions {
  db?: string;
  collection: string;
  every: string;
  credentialsEnv?: string;
}

function checkedUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('validation_failed', `not a URL: ${url}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw new AppError('validation_failed', `a TAXII server is reached over https (or http): ${url}`);
}
