import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

/** Runs `kyoyu ARGS` in this process on the database at `url`, capturing what it prints. */
export async function cli(
  url: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string; database: string | null }> {
  return cliWithInput(url, '', ...args);
}

/** As cli(), with `stdin` as standard input (for --password-stdin). */
export async function cliWithInput(
  url: string,
  stdin: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string; database: string | null }> {
  return cliWithEnv(url, {}, stdin, ...args);
}

/**
 * As cliWithInput(), with more environment variables (e.g. KYOYU_AUDIT_SIGNING_KEY_FILE). Every
 * command that opens a database names it first on stderr: that line is answered as `database`
 * (null for a command that opened none), `err` is the rest.
 */
export async function cliWithEnv(
  url: string,
  env: NodeJS.ProcessEnv,
  stdin: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string; database: string | null }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    env: { ...env, KYOYU_DATABASE_URL: url },
    readStdin: () => Promise.resolve(stdin),
  };
  const code = await main(['node', 'kyoyu', ...args], io);
  const line = /^database: (.*)\n/.exec(err);
  return { code, out, err: line ? err.slice(line[0].length) : err, database: line ? line[1]! : null };
}
