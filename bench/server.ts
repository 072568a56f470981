import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { onInterrupt } from './cleanup.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  /** Graceful stop (SIGTERM: in-flight requests finish, then the database closes); resolves with the exit code. */
  stop(): Promise<number | null>;
  output(): string;
}

/**
 * Starts `kyoyu serve` as a child process, exactly as an operator would (tsx instead of the build),
 * on a free port; resolves once /api/v1/health answers.
 */
export async function startServer(
  databaseUrl: string,
  extraNodeArgs: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...extraNodeArgs,
      '--import',
      'tsx',
      'src/cli/main.ts',
      'serve',
      '--db',
      databaseUrl,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        KYOYU_LOG_LEVEL: 'warn',
        KYOYU_TIME_ZONE: 'Asia/Tokyo',
        // Load from one token measures capacity; the per-user limit (policy) would cap it at its rate.
        KYOYU_RATE_LIMIT_PER_MINUTE: '0',
        KYOYU_DATABASE_URL: undefined,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const forget = onInterrupt(() => child.kill('SIGKILL'));
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const m = /at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stderr!.on('data', check);
    child.stdout!.on('data', check);
    void exited.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch (error) {
      if (i > 100) throw error;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async () => {
      forget();
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
