import type { Command } from 'commander';
import { Option } from 'commander';
import { AppError } from '../platform/errors.js';
import { generatePassword } from '../modules/auth/password.js';
import type { Scope } from '../access/index.js';
import { ROLES, SCOPES } from '../access/index.js';
import type { Services } from '../services.js';
import type { CliIo } from './io.js';

interface DbOption {
  db?: string;
}

export interface AdminCommandContext {
  io: CliIo;
  dbOption: () => Option;
  withServices: <T>(opts: DbOption, fn: (s: Services) => Promise<T>, fills?: boolean) => Promise<T>;
}

/** The password from standard input (first line), so that it never shows in `ps` or shell history. */
async function passwordFromStdin(io: CliIo): Promise<string> {
  if (!io.readStdin) throw new AppError('validation_failed', 'no standard input to read the password from');
  return (await io.readStdin()).split(/\r?\n/)[0] ?? '';
}

/** `kyoyu admin ...`: users, passwords, second factors, tokens. */
export function registerAdminCommands(program: Command, ctx: AdminCommandContext): void {
  const { io, dbOption, withServices } = ctx;
  const admin = program.command('admin').description('users, passwords, second factors and tokens');
  admin
    .command('create-user')
    .requiredOption('--email <email>')
    .requiredOption('--org <name>', 'organisation (created if new)')
    .addOption(new Option('--role <role>').choices([...ROLES]).makeOptionMandatory())
    .option('--sector <code...>', 'sectors a sector desk reads')
    .option('--password-stdin', 'read the password from standard input (else set one with reset-password)')
    .addOption(dbOption())
    .action(
      async (
        opts: DbOption & {
          email: string;
          org: string;
          role: string;
          sector?: string[];
          passwordStdin?: boolean;
        },
      ) => {
        const password = opts.passwordStdin ? await passwordFromStdin(io) : undefined;
        await withServices(
          opts,
          async (s) => {
            const { id } = await s.accounts.createUser({
              email: opts.email,
              organization: opts.org,
              role: opts.role,
              sectors: opts.sector,
            });
            if (password !== undefined) await s.sessions.setPassword(id, password);
          },
          true,
        );
        io.out(`created ${opts.role} ${opts.email} in ${opts.org}\n`);
      },
    );
  admin
    .command('reset-password')
    .description(
      'set a new password (from standard input, or a generated one printed on the last line); ends the sessions',
    )
    .requiredOption('--email <email>')
    .option('--password-stdin', 'read the new password from standard input')
    .addOption(dbOption())
    .action(async (opts: DbOption & { email: string; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await passwordFromStdin(io) : generatePassword();
      // A generated password is temporary: its user must change it at the next sign-in.
      await withServices(opts, async (s) =>
        s.sessions.setPassword(await s.accounts.userIdOf(opts.email), password, undefined, {
          temporary: !opts.passwordStdin,
        }),
      );
      io.out(
        opts.passwordStdin
          ? `password of ${opts.email} set; sessions ended\n`
          : `temporary password of ${opts.email} (shown once, to be changed at the next sign-in; sessions ended):\n${password}\n`,
      );
    });
  admin
    .command('reset-mfa')
    .description('remove the second factor (the user sets up a new one at the next sign-in)')
    .requiredOption('--email <email>')
    .addOption(dbOption())
    .action(async (opts: DbOption & { email: string }) => {
      await withServices(opts, async (s) => s.sessions.resetMfa(await s.accounts.userIdOf(opts.email)));
      io.out(`second factor of ${opts.email} removed; sessions ended\n`);
    });
  admin
    .command('unlock')
    .description('lift a lockout after failed sign-ins')
    .requiredOption('--email <email>')
    .addOption(dbOption())
    .action(async (opts: DbOption & { email: string }) => {
      await withServices(opts, async (s) => s.sessions.unlock(await s.accounts.userIdOf(opts.email)));
      io.out(`${opts.email} unlocked\n`);
    });
  admin
    .command('create-token')
    .description(
      "issue a token for any user: the bootstrap path on the server (the API issues users' own tokens only)",
    )
    .requiredOption('--email <email>')
    .option('--label <label>', 'what the token is for', 'cli')
    .option('--scopes <list>', `comma-separated, some of ${SCOPES.join(', ')} (default: all the role has)`)
    .option('--expires-days <n>', 'days until the token expires (default 90)')
    .option('--no-expiry', 'a token that does not expire (rotate it by other means)')
    .addOption(dbOption())
    .action(
      async (
        opts: DbOption & {
          email: string;
          label: string;
          scopes?: string;
          expiresDays?: string;
          expiry: boolean;
        },
      ) => {
        const scopes = opts.scopes?.split(',').map((x) => x.trim()) as Scope[] | undefined;
        const expiresInDays = !opts.expiry ? null : opts.expiresDays ? Number(opts.expiresDays) : undefined;
        const token = await withServices(opts, (s) =>
          s.accounts.createToken(opts.email, {
            label: opts.label,
            ...(scopes ? { scopes } : {}),
            ...(expiresInDays !== undefined ? { expiresInDays } : {}),
          }),
        );
        io.out(`token for ${opts.email} (shown once, stored hashed):\n${token}\n`);
      },
    );
  admin
    .command('revoke-tokens')
    .requiredOption('--email <email>')
    .addOption(dbOption())
    .action(async (opts: DbOption & { email: string }) => {
      const n = await withServices(opts, (s) => s.accounts.revokeTokens(opts.email));
      io.out(`revoked ${n} token(s) of ${opts.email}\n`);
    });
}
