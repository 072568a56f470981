import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * A PostgreSQL instance of the test's own (initdb into a temp dir, its own port and socket dir),
 * for tests that stop and start the server: the shared test cluster must never be restarted.
 * Root cannot run PostgreSQL, so as root the commands run as the `postgres` user.
 */
export interface ThrowawayPostgres {
  url: string;
  /** `pg_ctl stop -m fast`: sessions are terminated (57P01), then new connections are refused. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the instance (immediately) and removes its files; safe to call twice. */
  destroy(): Promise<void>;
}

/** The newest PostgreSQL server binaries installed the Debian way, or null when there are none. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startThrowawayPostgres(bin: string): Promise<ThrowawayPostgres> {
  const asRoot = process.getuid?.() === 0;
  // Asynchronous: the tests keep sending requests while PostgreSQL stops and starts.
  const run = (command: string, args: string[]) =>
    promisify(execFile)(
      asRoot ? 'runuser' : join(bin, command),
      asRoot ? ['-u', 'postgres', '--', join(bin, command), ...args] : args,
      { timeout: 60_000 },
    );
  const dir = mkdtempSync('/tmp/kyoyu-pg-');
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const port = await freePort();
  const options = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off', // a throwaway: durability across power loss is not what these tests check
    '-c max_connections=50',
  ].join(' ');
  let destroyed = false;
  const pgCtl = async (...args: string[]) => {
    try {
      await run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', ...args]);
    } catch (error) {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-10).join('\n') : '';
      throw new Error(`pg_ctl ${args.join(' ')} failed: ${(error as Error).message}\n${tail}`);
    }
  };
  const instance: ThrowawayPostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => pgCtl('-m', 'fast', 'stop'),
    start: () => pgCtl('-o', options, 'start'),
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      try {
        if (existsSync(join(data, 'postmaster.pid')))
          await run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await run('initdb', [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    await instance.start();
  } catch (error) {
    await instance.destroy();
    throw error;
  }
  return instance;
}
