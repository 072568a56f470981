import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteFile } from '../../../src/modules/backup/sqlite-file.js';

/**
 * Finding 8: with a demo running, a second `npm start` recreated kyoyu-data/demo.sqlite, printed
 * tokens that did not work and failed on the port, while the running server went on writing into
 * the deleted file. Here the real command runs in child processes (through tsx: no build needed).
 */
const ROOT = new URL('../../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'kyoyu-second-start-'));
const demoFile = join(dataDir, 'demo.sqlite');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(args: string[], port: number): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      KYOYU_DATA_DIR: dataDir,
      KYOYU_DATABASE_URL: '',
      KYOYU_LOG_LEVEL: 'warn',
    },
  });
}

/** Runs a command to its end: exit code and what it printed. */
function run(args: string[], port: number): Promise<{ code: number | null; out: string; err: string }> {
  const child = start(args, port);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

function reportsTitled(title: string): number {
  const db = openSqliteFile(demoFile, { readonly: true });
  try {
    const [row] = db.all<{ n: number }>(
      `select count(*) as n from incidents where title = '${title.replaceAll("'", "''")}'`,
    );
    return Number(row!.n);
  } finally {
    db.close();
  }
}

// Child processes under tsx start in seconds each, more on a loaded machine.
describe('a second start while the demo runs', { timeout: 240_000 }, () => {
  let first: ChildProcessWithoutNullStreams | undefined;
  afterAll(() => {
    first?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses, says why, exits non-zero and loses nothing; the first server keeps its data', async () => {
    const port = await freePort();
    first = start(['demo'], port);
    let out = '';
    let err = '';
    first.stdout.on('data', (d: Buffer) => (out += d.toString()));
    first.stderr.on('data', (d: Buffer) => (err += d.toString()));
    for (let i = 0; i < 1200 && !err.includes('kyoyu is serving'); i++) {
      if (first.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(err, out).toContain('kyoyu is serving');
    const token = /^\s+operator\s+\S+\s+(kyo_\S+)$/m.exec(out)?.[1];
    expect(token, out).toBeTruthy();
    const base = `http://127.0.0.1:${port}/api/v1`;
    const headers = { authorization: `Bearer ${token!}`, 'content-type': 'application/json' };
    const posted = await fetch(`${base}/incidents`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        channel: 'operator_report',
        received_at: new Date().toISOString(),
        sector: 'electricity',
        title: 'acknowledged before the second start', // as `title` below
        description: 'must survive',
        stage: 'initial',
        event: 'leading.intrusion',
        causes: ['intentional.id_spoofing'],
        attack_type: 'other',
      }),
    });
    expect(posted.status).toBe(201);
    const { id } = (await posted.json()) as { id: number };
    const inode = statSync(demoFile).ino;
    const title = 'acknowledged before the second start';
    /** The acknowledged report is in the file the first server writes, and that file is still the database. */
    const stillThere = () => {
      expect(existsSync(demoFile) && statSync(demoFile).ino, 'the demo database was recreated').toBe(inode);
      expect(reportsTitled(title), 'the acknowledged report is lost').toBe(1);
    };
    stillThere();

    // The same port: refused before the demo database is touched.
    const samePort = await run(['demo'], port);
    stillThere();
    expect(samePort.code).toBe(1);
    expect(samePort.err).toMatch(/error \[port_in_use\]: port \d+ on 127\.0\.0\.1 is in use/);
    expect(samePort.out).not.toContain('demo tokens'); // no tokens that would not work

    // Another port, the same data directory: the database is served already.
    const otherPort = await run(['demo'], await freePort());
    stillThere();
    expect(otherPort.code).toBe(1);
    expect(otherPort.err).toContain('error [database_in_use]');
    expect(otherPort.err).toContain(`pid ${first.pid}`);
    expect(otherPort.out).not.toContain('demo tokens');
    const lock = JSON.parse(readFileSync(`${demoFile}.lock`, 'utf8')) as { pid: number };
    expect(lock.pid).toBe(first.pid);

    // A plain serve on the demo's database is refused too.
    const serve = await run(['serve', '--db', `sqlite:${demoFile}`], await freePort());
    expect(serve.code).toBe(1);
    expect(serve.err).toContain('error [database_in_use]');

    // Without the lock file (removed by hand, or a server of an older kyoyu), the demo still sees
    // that a process has the database open, and deletes nothing.
    rmSync(`${demoFile}.lock`);
    const unlocked = await run(['demo'], await freePort());
    expect(unlocked.code).toBe(1);
    expect(unlocked.err).toContain('error [database_in_use]');
    expect(existsSync(`${demoFile}.lock`)).toBe(false); // the refused start took its own lock away

    // The first server still answers, on the same file, with the report it acknowledged.
    stillThere();
    const read = await fetch(`${base}/incidents/${id}`, { headers });
    expect(read.status).toBe(200);

    const exited = new Promise<number | null>((r) => first!.on('exit', (code) => r(code)));
    first.kill('SIGTERM');
    expect(await exited).toBe(0);
    first = undefined;
    expect(reportsTitled(title)).toBe(1);
    expect(existsSync(`${demoFile}.lock`)).toBe(false);
  });

  it('a lock left by a process that is gone is stale: the next start takes it over and removes it at exit', async () => {
    // A pid that no longer runs: a child that has exited.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((r) => gone.on('exit', r));
    const lockFile = `${demoFile}.lock`;
    writeFileSync(
      lockFile,
      JSON.stringify({ pid: gone.pid, host: hostname(), boot: null, started_at: '2020-01-01T00:00:00.000Z' }),
    );
    const result = await run(['demo', '--no-serve'], await freePort());
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('demo tokens');
    expect(existsSync(lockFile)).toBe(false);
  });
});
