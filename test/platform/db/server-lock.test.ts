import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  acquireServerLock,
  ensurePortFree,
  ServeRefused,
  sqliteFileOf,
} from '../../../src/platform/db/server-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'kyoyu-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refusal = (fn: () => unknown): ServeRefused => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ServeRefused) return error;
    throw error;
  }
  throw new Error('not refused');
};

describe('the server lock of a SQLite database', () => {
  it('is taken on a first start (no data directory yet), refused while held, free again after release', () => {
    const file = join(dir, 'new-dir', 'demo.sqlite');
    const lock = acquireServerLock(file);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
    });
    const refused = refusal(() => acquireServerLock(file));
    expect(refused.code).toBe('database_in_use');
    expect(refused.message).toContain(`pid ${process.pid}`);
    lock.release();
    expect(existsSync(`${file}.lock`)).toBe(false);
    acquireServerLock(file).release();
  });

  it('takes over a lock whose process is gone, never one of another host or a live process', () => {
    const file = join(dir, 'stale.sqlite');
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: gone, host: hostname(), boot: null, started_at: 'x' }),
    );
    const lock = acquireServerLock(file);
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();

    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: gone, host: 'elsewhere', boot: null, started_at: 'x' }),
    );
    expect(refusal(() => acquireServerLock(file)).code).toBe('database_in_use');
    // The parent of this process is alive: its lock stands.
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: process.ppid, host: hostname(), boot: null, started_at: 'x' }),
    );
    expect(refusal(() => acquireServerLock(file)).code).toBe('database_in_use');
    // Refusals leave the holder's lock as it was.
    expect(JSON.parse(readFileSync(`${file}.lock`, 'utf8'))).toMatchObject({ pid: process.ppid });
  });

  it('is for SQLite files only', () => {
    expect(sqliteFileOf('sqlite:./x.sqlite')).toMatch(/\/x\.sqlite$/);
    expect(sqliteFileOf('sqlite::memory:')).toBeNull();
    expect(sqliteFileOf('postgres://u@h/db')).toBeNull();
  });

  it('a port something listens on is refused before anything is done', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await expect(ensurePortFree('127.0.0.1', port)).rejects.toMatchObject({ code: 'port_in_use' });
    await new Promise((r) => server.close(r));
    await expect(ensurePortFree('127.0.0.1', port)).resolves.toBeUndefined();
  });
});
