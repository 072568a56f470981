import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `kyoyu demo` as a user starts it (through tsx, so no build is needed). */
const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'kyoyu-demo-cli-'));
const db = `sqlite:${join(dir, 'demo.sqlite')}`;
const { KYOYU_LOG_LEVEL: _level, KYOYU_DEMO_SEED: _seed, ...baseEnv } = process.env;

function demoOnce(env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--no-serve', '--db', db],
    { cwd: ROOT, env: { ...baseEnv, KYOYU_DATA_DIR: dir, ...env }, encoding: 'utf8' },
  );
  expect(result.status, result.stderr).toBe(0);
  return result.stdout;
}

/** The printed credentials: every token, TOTP secret and otpauth URI. */
const credentials = (out: string) =>
  out.match(/kyo_[A-Za-z0-9_-]{43}|TOTP secret [A-Z2-7]{32}|otpauth:\/\/\S+/g);

/** Starts the demo server, sends two requests, stops it; returns all it wrote. */
async function serveAndAsk(env: NodeJS.ProcessEnv = {}): Promise<string> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/cli/main.ts', 'demo', '--db', db, '--port', String(port)],
    { cwd: ROOT, env: { ...baseEnv, KYOYU_DATA_DIR: dir, ...env } },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  try {
    for (let i = 0; i < 600 && !output.includes('kyoyu is serving'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('kyoyu is serving');
    const token = output.match(/kyo_[A-Za-z0-9_-]{43}/)![0];
    const me = await fetch(`http://127.0.0.1:${port}/api/v1/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);
    await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    await new Promise((r) => setTimeout(r, 300));
    return output;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

describe('kyoyu demo', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the same credentials on every start, with otpauth URIs and QR codes; KYOYU_DEMO_SEED changes them', () => {
    const first = demoOnce();
    const second = demoOnce();
    expect(credentials(first)!.length).toBe(7 + 4 + 4); // six tokens and the curl line's; four secrets, their URIs
    expect(credentials(second)).toEqual(credentials(first));
    expect(first).toMatch(
      /otpauth:\/\/totp\/kyoyu%20demo%3Aanalyst%40demo\.kyoyu\.example\?secret=[A-Z2-7]{32}&/,
    );
    expect(first).toMatch(/[▀▄█]{7}/); // the QR code, drawn with half blocks
    const seeded = demoOnce({ KYOYU_DEMO_SEED: 'another seed' });
    const tokens = (out: string) => out.match(/kyo_[A-Za-z0-9_-]{43}/g)!;
    expect(tokens(seeded).filter((t) => tokens(first).includes(t))).toEqual([]);
    expect(seeded).toContain('derived from KYOYU_DEMO_SEED');
  }, 240_000);

  it('serves without request logs unless KYOYU_LOG_LEVEL asks for them', async () => {
    const quiet = await serveAndAsk();
    expect(quiet).not.toMatch(/incoming request|request completed/);
    const logged = await serveAndAsk({ KYOYU_LOG_LEVEL: 'info' });
    expect(logged).toMatch(/request completed/);
  }, 240_000);
});
