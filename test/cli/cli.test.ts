import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The real command in a child process, as a user runs it (through tsx, so no build is needed). */
const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kyoyu-cli-'));
const db = `sqlite:${join(dir, 'cli.sqlite')}`;

function kyoyu(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, KYOYU_DATABASE_URL: db },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('the kyoyu command', () => {
  it('admin create-user and create-token: the token alone on the last line, and it works', async () => {
    expect(
      kyoyu(
        'admin',
        'create-user',
        '--email',
        'desk@cli.example',
        '--org',
        '経済産業省',
        '--role',
        'sector_desk',
        '--sector',
        'electricity',
        'gas',
      ),
    ).toMatchObject({ code: 0 });
    const created = kyoyu('admin', 'create-token', '--email', 'desk@cli.example');
    expect(created.code).toBe(0);
    const token = created.out.trimEnd().split('\n').at(-1)!;
    expect(token).toMatch(/^kyo_[A-Za-z0-9_-]{43}$/);

    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', String(port)],
      {
        cwd: ROOT,
        env: { ...process.env, KYOYU_DATABASE_URL: db, KYOYU_LOG_LEVEL: 'warn' },
      },
    );
    let stderr = '';
    server.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      for (let i = 0; i < 100 && !stderr.includes('serving'); i++)
        await new Promise((r) => setTimeout(r, 100));
      const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({
        role: 'sector_desk',
        organization: '経済産業省',
        sectors: ['electricity', 'gas'],
      });
      const list = await fetch(`http://127.0.0.1:${port}/api/v1/incidents`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await list.json()).toEqual({ items: [], next_cursor: null, total: 0, total_capped: false }); // serve never loads demo data
    } finally {
      const exited = new Promise<number | null>((r) => server.on('exit', (code) => r(code)));
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('import reports each bad line and exits 1; stats writes every format', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(
      bad,
      '{"ref":"X","channel":"operator_report","received_at":"2023-05-15T14:00:00"}\nnot json\n',
    );
    const failed = kyoyu('import', bad);
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^line 1: received_at: time_without_offset: /m);
    expect(failed.err).toMatch(/^line 2: \(line\): malformed_json: /m);
    expect(failed.err).toMatch(/error \[import_failed\]/);

    expect(kyoyu('import', join(ROOT, 'test/fixtures/sample-reports.jsonl')).out).toMatch(
      /16 lines, 14 new incidents, 16 reports added/,
    );
    const json = JSON.parse(kyoyu('stats', '--fy', '2023').out) as {
      tables: { channels: { operator_report: number[] } };
    };
    expect(json.tables.channels.operator_report).toEqual([0, 0, 0, 1, 2, 2, 3, 1, 8]);
    for (const format of ['csv', 'xlsx', 'html']) {
      const out = join(dir, `stats.${format}`);
      expect(kyoyu('stats', '--fy', '2023', '--format', format, '--out', out).code).toBe(0);
      expect(existsSync(out)).toBe(true);
    }
    expect(readFileSync(join(dir, 'stats.csv'), 'utf8')).toContain('operator_report');
    expect(readFileSync(join(dir, 'stats.xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect(kyoyu('stats', '--fy', '2023', '--format', 'xlsx').code).toBe(1);
    expect(kyoyu('stats', '--fy', 'next').err).toMatch(/validation_failed/);
    expect(kyoyu('import', join(dir, 'missing.jsonl')).err).toMatch(/file_not_found/);
  });
});
