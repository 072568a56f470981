import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Every shell example of README.md, run as written, in order, by bash on a fresh copy of the
 * project (the files git tracks or would track, this checkout's node_modules and a copy of its dist), so
 * `npx kyoyu` is the real bin/kyoyu.js. An example fails the test when any of its commands fails.
 *
 * What the test adds, and nothing more:
 * - a command that serves (`npm start`, `npx kyoyu serve`) runs in the background until it says
 *   it is serving; the demo (`npm start`) keeps running for the examples after it (it is the demo
 *   they use), any other server is stopped when its example ends;
 * - every server gets a free port through `PORT` (the README's way to change it), and the
 *   examples' `127.0.0.1:8080` is read as the demo's address: on a shared machine 8080 may be
 *   taken;
 * - the environment has no `KYOYU_*` variables of the test runner's, as on a fresh machine.
 */
const ROOT = new URL('..', import.meta.url).pathname;

/** Deliberately not run, each with its reason. */
const SKIPPED: Record<string, string> = {
  'npm install': 'installs from the registry; the test runs on the installed checkout',
  'npm test': 'the whole suite, this test included',
  'KYOYU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test npm test': 'the whole suite again',
  'KYOYU_FUZZ_SECONDS=60 KYOYU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test npx vitest run test/platform/http/fuzz.test.ts':
    'the long fuzz run (about 4 minutes); the fuzz test runs in the suite',
  'createdb kyoyu': 'a production PostgreSQL (db.internal) that a test machine does not have',
  pg_dump: 'the production PostgreSQL (db.internal)',
};
/** Commands of a skipped example that make sense only after the skipped one (its database). */
const SKIPPED_WITH_EXAMPLE = ['createdb kyoyu', 'pg_dump'];

interface Example {
  line: number;
  commands: string[];
}

/** The fenced sh/bash/shell blocks, each as its commands (continuation lines joined, comments kept). */
function readmeExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(sh|bash|shell)\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    const commands: string[] = [];
    let current = '';
    for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) {
      const text = lines[i]!;
      current += current ? `\n${text}` : text;
      if (text.endsWith('\\')) continue;
      if (current.trim() !== '' && !current.trim().startsWith('#')) commands.push(current);
      current = '';
    }
    examples.push({ line: start, commands });
  }
  return examples;
}

/** The command without its trailing comment and line breaks, to compare with the skip list. */
const bare = (command: string) =>
  command
    .replace(/\\\n\s*/g, ' ')
    .replace(/\s+#.*$/, '')
    .replace(/\s+/g, ' ')
    .trim();

const skipReason = (command: string): string | undefined =>
  SKIPPED[bare(command)] ?? Object.entries(SKIPPED).find(([k]) => bare(command).startsWith(`${k} `))?.[1];

const serves = (command: string) =>
  /^(npm start|npx kyoyu serve|npx kyoyu demo(?!.*--no-serve))\b/.test(bare(command));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** A fresh copy of the project: tracked (and new, not ignored) files, node_modules and dist linked. */
function freshCopy(): string {
  // One place per checkout: npx links the project into its cache by path, so a new path every run
  // would leave a new cache entry every run.
  const parent = join(
    tmpdir(),
    `kyoyu-readme-${createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}`,
  );
  rmSync(parent, { recursive: true, force: true });
  const dir = join(parent, 'kyoyu');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((f) => f !== '' && existsSync(join(ROOT, f)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // A copy, not a link: npx installs the project into its cache the first time, which runs its
  // prepare script (the build); that must not rewrite this checkout's dist under other tests.
  cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
  return dir;
}

/** The CLI the bin runs is dist/: rebuilt (the server part) when a source file is newer. */
function ensureBuilt(): void {
  const built = join(ROOT, 'dist/cli/main.js');
  const newest = execFileSync('find', [join(ROOT, 'src'), '-newer', built, '-name', '*.ts'], {
    encoding: 'utf8',
  }).trim();
  if (!existsSync(built) || newest !== '')
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  statSync(built);
}

/**
 * The runner's environment without KYOYU_* (as on a fresh machine), and with an npm cache of the
 * copy's own: `npx kyoyu` installs the project into the cache's `_npx`, and an entry that a killed
 * run left half written in the user's shared cache would fail every later run.
 */
const cleanEnv = (dir: string): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(
    // NODE_ENV=test (vitest's) would make a build bundle React's development build.
    Object.entries(process.env).filter(([k]) => !k.startsWith('KYOYU_') && !['PORT', 'NODE_ENV'].includes(k)),
  ),
  npm_config_cache: join(dirname(dir), 'npm-cache'),
});

describe('the README examples', () => {
  const examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  let dir: string;
  let demoPort: number;
  const demoPids: string[] = [];

  beforeAll(async () => {
    ensureBuilt();
    dir = freshCopy();
    demoPort = await freePort();
  }, 300_000);
  afterAll(() => {
    for (const pidFile of demoPids) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      try {
        process.kill(-pid, 'SIGTERM'); // the server's own process group (setsid), npm and node alike
      } catch {
        // already gone
      }
    }
    if (dir) rmSync(dirname(dir), { recursive: true, force: true });
  });

  it('the skip list is short and every entry names an example the README still has', () => {
    const all = examples.flatMap((e) => e.commands.map(bare));
    for (const command of Object.keys(SKIPPED))
      expect(all.some((c) => c === command || c.startsWith(`${command} `))).toBe(true);
    expect(Object.keys(SKIPPED).length).toBeLessThanOrEqual(8);
  });

  it('every example runs as written', async () => {
    const ran: string[] = [];
    for (const example of examples) {
      if (example.commands.some((c) => SKIPPED_WITH_EXAMPLE.some((k) => bare(c).startsWith(k)))) continue;
      let script = 'set -euo pipefail\n';
      let servers = 0;
      for (const command of example.commands) {
        if (skipReason(command)) continue;
        const text = command.replace(/127\.0\.0\.1:8080/g, `127.0.0.1:${demoPort}`);
        if (serves(command)) {
          const n = ++servers;
          const isDemo = bare(command).startsWith('npm start') || bare(command).startsWith('npx kyoyu demo');
          const port = isDemo ? demoPort : await freePort();
          const log = join(dirname(dir), `server-${example.line}-${n}.log`);
          const pidFile = `${log}.pid`;
          if (isDemo) demoPids.push(pidFile);
          script += `PORT=${port} setsid ${bare(text)} > ${log} 2>&1 & echo $! > ${pidFile}\n`;
          script += `for i in $(seq 1 600); do grep -q 'kyoyu is serving' ${log} && break; kill -0 $(cat ${pidFile}) 2>/dev/null || { cat ${log}; exit 1; }; sleep 0.2; done\n`;
          script += `grep -q 'kyoyu is serving' ${log} || { cat ${log}; exit 1; }\n`;
          if (!isDemo) script += `trap 'kill -- -$(cat ${pidFile}) 2>/dev/null; sleep 1' EXIT\n`;
        } else script += `${text}\n`;
        ran.push(bare(command));
      }
      const result = spawnSync('bash', ['-c', script], { cwd: dir, env: cleanEnv(dir), encoding: 'utf8' });
      expect(
        {
          line: example.line,
          status: result.status,
          stderr: result.status === 0 ? '' : result.stderr + result.stdout,
        },
        `README.md line ${example.line}`,
      ).toEqual({ line: example.line, status: 0, stderr: '' });
    }
    // The examples the issue names are among those run.
    expect(ran).toContain('npm start');
    expect(ran.some((c) => c.startsWith('npx kyoyu stats --fy 2023 --format xlsx'))).toBe(true);
    expect(ran.some((c) => c.startsWith('curl'))).toBe(true);
    expect(statSync(join(dir, 'fy2023.xlsx')).size).toBeGreaterThan(1000);
  }, 900_000);
});
