import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import type { DemoAccount } from '../../src/demo/demo.js';
import { loadDemo } from '../../src/demo/demo.js';
import type { TestContext } from '../support/databases.js';
import { testServices } from '../support/databases.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');

/**
 * Whether the browser tests can run here. Debian's chromium is required in CI (.ci/run installs
 * it); elsewhere its absence skips them, loudly, like the PostgreSQL half of the suite.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') {
    throw new Error(`${CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium)`);
  }
  process.stdout.write(
    `\n[kyoyu] Browser tests SKIPPED: ${CHROMIUM} is missing (apt-get install chromium to run them; CI does)\n`,
  );
  return false;
}

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function webBuildIsCurrent(): boolean {
  const index = join(ROOT, 'dist', 'web', 'index.html');
  const sources = [join(ROOT, 'web'), join(ROOT, 'src', 'domain'), join(ROOT, 'src', 'access')];
  return existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime));
}

/**
 * Builds the UI (vite build, a few seconds) when dist/web is missing or older than its sources.
 * Test files run in parallel processes: a lock directory lets one build while the others wait, so
 * none starts a server on a half-written dist/web.
 */
export function ensureWebBuilt(): void {
  if (webBuildIsCurrent()) return;
  const lock = join(ROOT, 'dist', '.web-build-lock');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A build left behind by a killed run must not block every later one.
      if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${lock} held for two minutes`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (webBuildIsCurrent()) return;
    const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
    const result = spawnSync(
      process.execPath,
      [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      // vitest runs with NODE_ENV=test, which would bundle React's development build.
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
    );
    if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface Kyoyu {
  app: FastifyInstance;
  ctx: TestContext;
  url: string;
  accounts: DemoAccount[];
  close(): Promise<void>;
}

/**
 * kyoyu in this process, on a fresh SQLite database holding the demo, listening on a free port;
 * `env`: more configuration (a test SMTP server, say).
 */
export async function startKyoyu(env: NodeJS.ProcessEnv = {}): Promise<Kyoyu> {
  const ctx = await testServices('sqlite', env);
  const { accounts } = await loadDemo(ctx.services);
  const app = await buildApp(ctx.services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    app,
    ctx,
    url: `http://127.0.0.1:${address.port}`,
    accounts,
    close: async () => {
      await app.close();
      await ctx.close();
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors (a CSP refusal shows up here) and uncaught page errors. */
  problems: string[];
  close(): Promise<void>;
}

/** Debian's Chromium, headless, in a fresh profile (its --user-data-dir) that is removed afterwards. */
export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'kyoyu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'ja-JP',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    // A 401 is the answer to "who am I?" before sign-in and to a wrong password: expected here.
    const expected = /the server responded with a status of 401/.test(message.text());
    // A failed request names its address (the console's text does not).
    const where = message.location().url;
    const at = /Failed to load resource/.test(message.text()) && where ? ` (${where})` : '';
    if (message.type() === 'error' && !expected) problems.push(`console: ${message.text()}${at}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * axe-core's serious and critical violations on the current page. Its source goes in through the
 * DevTools protocol: the UI's CSP (rightly) refuses an inline <script> such as addScriptTag's.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`,
  );
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
