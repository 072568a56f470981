import { existsSync, rmSync } from 'node:fs';
import { buildApp } from '../app.js';
import { openServices } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { ServerLock } from '../platform/db/server-lock.js';
import { acquireServerLock, ensurePortFree, ServeRefused, sqliteFileOf } from '../platform/db/server-lock.js';
import { openSqliteFile } from '../modules/backup/sqlite-file.js';
import type { Services } from '../services.js';
import { listen } from '../server.js';
import { repeat } from '../platform/repeat.js';
import { sendReminders } from '../modules/obligations/index.js';
import { printDemoAccounts } from './demo-print.js';
import type { CliIo } from './io.js';

/** How soon a changed incident reaches its TAXII collections. */
const PUBLISH_EVERY_MS = 15_000;

async function serve(services: Services, io: CliIo, lock: ServerLock | null): Promise<string> {
  const app = await buildApp(services, { logger: { level: services.config.logLevel } });
  // Configured TAXII feeds: each process takes the due ones it can lease, once a minute.
  // A failed pull is logged and tried again when next due; it never stops the server.
  const feeds = setInterval(
    () =>
      void services.taxiiFeeds
        .runDue()
        .catch((error: unknown) => app.log.warn({ err: error }, 'TAXII feed pull failed')),
    60_000,
  );
  feeds.unref();
  // Reporting deadlines (issue 15): the reporter is reminded a day before a stage is due and once
  // it has passed, each reminder once; checked every minute.
  const reminders = setInterval(
    () =>
      void sendReminders(
        services.database,
        services.regimes,
        services.audit,
        services.notifications.outbox,
      ).catch((error: unknown) => app.log.warn({ err: error }, 'reporting deadline reminders failed')),
    60_000,
  );
  reminders.unref();
  // Incidents into the TAXII collections their readers may see: what changed since the last run,
  // at once after a start, then every 15 s (every second while a backlog, say an import, lasts).
  const publish = repeat(async () => (await services.incidentPublisher.publishChanges()).more, {
    idleMs: PUBLISH_EVERY_MS,
    busyMs: 1000,
    onError: (error) => app.log.warn({ err: error }, 'TAXII incident publication failed'),
  });
  const url = await listen(app, services.config.host, services.config.port, async () => {
    clearInterval(feeds);
    clearInterval(reminders);
    await publish.stop();
    await services.notifications.outbox.stop();
    await services.database.close();
    lock?.release();
  });
  io.err(`kyoyu is serving ${services.database.description} at ${url}\n`);
  // Notification mail (where KYOYU_SMTP_URL is set): what is pending, then every commit's new mail.
  services.notifications.outbox.start();
  return url;
}

/**
 * Before a server starts: its port must be free and no other server may have its SQLite database
 * (the lock is held until the process ends). Checked before anything is opened or deleted.
 */
async function claim(config: Config, listens: boolean): Promise<ServerLock | null> {
  if (listens) await ensurePortFree(config.host, config.port);
  const file = sqliteFileOf(config.databaseUrl);
  return file ? acquireServerLock(file) : null;
}

/** Runs `fn` holding the lock; a failure releases it (the process may go on, as in tests). */
async function holding<T>(lock: ServerLock | null, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    lock?.release();
    throw error;
  }
}

/** `kyoyu serve`: the configured database as it is; demo data is never loaded here. */
export async function runServe(config: Config, io: CliIo): Promise<void> {
  const lock = await claim(config, true);
  await holding(lock, async () => {
    const services = await openServices(config);
    try {
      await serve(services, io, lock);
    } catch (error) {
      await services.database.close();
      throw error;
    }
  });
  await new Promise(() => undefined); // until a signal closes the server
}

/**
 * Whether a process has the SQLite file open (a server of an older kyoyu that took no lock, a CLI
 * command): any connection to a WAL database holds a shared lock that refuses this exclusive one.
 */
function openElsewhere(file: string): boolean {
  let db;
  try {
    db = openSqliteFile(file, { readonly: false });
  } catch {
    return false;
  }
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
    return false;
  } catch (error) {
    // Busy: someone has it open. Anything else (a damaged or foreign file): nobody serves it, and
    // the demo replaces it as before.
    return /SQLITE_BUSY|database is locked/i.test(String((error as Error).message));
  } finally {
    db.close();
  }
}

/** `kyoyu demo`: a fresh demo database of its own, then (unless --no-serve) the server on it. */
export async function runDemo(config: Config, io: CliIo, andServe: boolean, seed?: string): Promise<void> {
  const lock = await claim(config, andServe);
  await holding(lock, () => loadAndServe(config, io, andServe, lock, seed));
  if (andServe) await new Promise(() => undefined);
}

async function loadAndServe(
  config: Config,
  io: CliIo,
  andServe: boolean,
  lock: ServerLock | null,
  seed: string | undefined,
) {
  const file = sqliteFileOf(config.databaseUrl);
  if (file && existsSync(file)) {
    if (openElsewhere(file))
      throw new ServeRefused(
        'database_in_use',
        `${file} is open in another process; nothing was changed. Stop it before starting the demo again.`,
      );
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  const services = await openServices(config);
  try {
    const existing = await services.database.db.selectFrom('incidents').select('id').limit(1).execute();
    if (existing.length > 0)
      throw new Error(
        `${services.database.description} already holds data; the demo needs an empty database`,
      );
    await loadAndPrint(services, config, io, seed);
    if (andServe) await serve(services, io, lock);
  } catch (error) {
    await services.database.close();
    throw error;
  }
  if (!andServe) {
    await services.database.close();
    lock?.release();
  }
}

async function loadAndPrint(services: Services, config: Config, io: CliIo, seed?: string): Promise<void> {
  const started = Date.now();
  // Loaded only when asked for: a production server never loads the demo data set's code.
  const { loadDemo } = await import('../demo/demo.js');
  const { accounts, lines } = await loadDemo(services, { ...(seed !== undefined ? { seed } : {}) });
  io.out(
    `demo data loaded into ${services.database.description}: ${lines} report lines in ${Date.now() - started} ms\n`,
  );
  await printDemoAccounts(accounts, `http://${config.host}:${config.port}`, io, seed !== undefined);
}
