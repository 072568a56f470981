import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

/**
 * One server per SQLite database file. Several processes may open the file (SQLite allows it: the
 * CLI's import, backup and admin commands run beside a server), but a second `kyoyu serve` or
 * `kyoyu demo` on it is a mistake, and the demo's is destructive: it recreates its database, and a
 * server still running on the deleted file would go on acknowledging reports that no file keeps.
 *
 * The lock is a file beside the database (`demo.sqlite.lock`) holding the server's pid, host and
 * boot, created atomically (O_EXCL). A lock whose process is gone (killed, a crash, a reboot) is
 * stale and taken over. PostgreSQL needs none: several servers on one database is how it scales.
 */

/** A start refused before it changed anything: the database is served already, or the port is taken. */
export class ServeRefused extends Error {
  constructor(
    readonly code: 'database_in_use' | 'port_in_use',
    message: string,
  ) {
    super(message);
  }
}

interface Holder {
  pid: number;
  host: string;
  boot: string | null;
  started_at: string;
}

export interface ServerLock {
  readonly path: string;
  release(): void;
}

/** The file of a `sqlite:PATH` URL, or null for PostgreSQL and in-memory databases. */
export function sqliteFileOf(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const path = databaseUrl.slice('sqlite:'.length);
  return path && path !== ':memory:' ? resolve(path) : null;
}

function bootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null; // not Linux: pids alone decide
  }
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as Holder) : null;
  } catch {
    return null;
  }
}

/** Whether the process that wrote the lock may still run; when in doubt, it does. */
function holderAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true; // another machine (a shared disk): cannot tell
  const boot = bootId();
  if (boot && holder.boot && boot !== holder.boot) return false; // written before a reboot
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, under another user
  }
}

function inUse(database: string, path: string, holder: Holder | null): ServeRefused {
  const who = holder
    ? `kyoyu (pid ${holder.pid} on ${holder.host}, since ${holder.started_at})`
    : 'another kyoyu process';
  return new ServeRefused(
    'database_in_use',
    `${database} is already served by ${who}; nothing was changed. Stop that server first ` +
      `(or, if no kyoyu runs any more, delete ${path}).`,
  );
}

/**
 * Takes the server lock of a SQLite database file, or throws ServeRefused naming the holder. The
 * lock goes when release() is called or the process exits.
 */
export function acquireServerLock(databaseFile: string): ServerLock {
  const path = `${databaseFile}.lock`;
  const mine: Holder = {
    pid: process.pid,
    host: hostname(),
    boot: bootId(),
    started_at: new Date().toISOString(),
  };
  const content = `${JSON.stringify(mine)}\n`;
  mkdirSync(dirname(databaseFile), { recursive: true }); // a first start: no data directory yet
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, content, { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    // An unreadable lock that is seconds old is one being written by a server starting right now.
    const fresh = holder === null && Date.now() - mtimeOf(path) < 10_000;
    if (attempt >= 2 || fresh || (holder !== null && holderAlive(holder)))
      throw inUse(databaseFile, path, holder);
    rmSync(path, { force: true }); // stale: its process is gone
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.removeListener('exit', release);
    // Only our own lock: never one that another server took over after ours was judged stale.
    const holder = readHolder(path);
    if (holder?.pid === mine.pid && holder.started_at === mine.started_at) rmSync(path, { force: true });
  };
  process.on('exit', release);
  return { path, release };
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Refuses a port something already listens on, before anything else is done. */
export async function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return; // any free port: nothing to check
  await new Promise<void>((resolvePromise, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new ServeRefused(
              'port_in_use',
              `port ${port} on ${host} is ${error.code === 'EACCES' ? 'not allowed' : 'in use (another kyoyu demo or serve?)'}; ` +
                'nothing was changed. Stop that server or choose another port (PORT or --port).',
            )
          : error,
      ),
    );
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolvePromise()));
  });
}
