import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { totpCode, totpStep } from '../src/modules/auth/totp.js';
import type { Role } from '../src/access/index.js';
import { ensureWebBuilt, launchBrowser } from '../test/browser/support.js';
import type { BenchOrg } from './generate.js';
import type { Metric } from './report.js';
import { fmt, log, metric, percentile } from './report.js';
import { startServer } from './server.js';
import { openBench } from './targets.js';

/** Issue 4: the dashboard and the incident list are usable within 1.5 s of navigation. */
export const UI_TARGET_MS = 1_500;
const PASSWORD = 'bench-ui-password-1';

interface Account {
  role: Role;
  email: string;
  totpSecret?: string;
}

/** One user per role that reads incidents, with a password (and a second factor where required). */
async function createAccounts(databaseUrl: string, secretKey: string, org: BenchOrg): Promise<Account[]> {
  const services = await openBench(databaseUrl, { KYOYU_SECRET_KEY: secretKey });
  try {
    const stamp = Date.now();
    const specs: Array<{ role: Role; organization: string; sectors?: string[] }> = [
      { role: 'center_analyst', organization: 'National Center (bench)' },
      { role: 'sector_desk', organization: 'Sector desk (bench)', sectors: [org.sector] },
      { role: 'operator', organization: org.name },
    ];
    const accounts: Account[] = [];
    for (const spec of specs) {
      const email = `ui-${spec.role}-${stamp}@bench.kyoyu.example`;
      const { id } = await services.accounts.createUser({ email, ...spec });
      await services.sessions.setPassword(id, PASSWORD);
      const totpSecret = spec.role === 'center_analyst' ? await services.sessions.enrolTotp(id) : undefined;
      accounts.push({ role: spec.role, email, ...(totpSecret ? { totpSecret } : {}) });
    }
    return accounts;
  } finally {
    await services.database.close();
  }
}

/** Signs in through the API (the sign-in page is not what is measured) and returns the session cookie. */
async function signIn(url: string, account: Account): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: account.email, password: PASSWORD }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = /kyoyu_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  if (!cookie) throw new Error('sign-in set no session cookie');
  if (account.totpSecret) {
    const { csrf_token } = (await login.json()) as { csrf_token: string };
    const mfa = await fetch(`${url}/api/v1/auth/mfa`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `kyoyu_session=${cookie}`,
        'x-csrf-token': csrf_token,
        origin: url,
      },
      body: JSON.stringify({ code: totpCode(account.totpSecret, totpStep(Date.now())) }),
    });
    if (!mfa.ok) throw new Error(`second factor failed: ${mfa.status} ${await mfa.text()}`);
  }
  return cookie;
}

// Predicates run in the page as functions: the UI's CSP (rightly) refuses strings to evaluate.
// The page's `document`, as far as they use it (this program is compiled without the DOM types).
interface PageElement {
  querySelector(selector: string): PageElement | null;
}
declare const document: PageElement & { querySelectorAll(selector: string): ArrayLike<PageElement> };

/** Every chart of the dashboard drawn (a canvas in each) and the at-a-glance table filled. */
const DASHBOARD_READY = () => {
  const charts = Array.from(document.querySelectorAll('.echart'));
  return (
    document.querySelector('#glance tbody tr') !== null &&
    charts.length >= 5 &&
    charts.every((c) => c.querySelector('canvas') !== null)
  );
};
const LIST_READY = () => document.querySelector('#incident-list tbody tr') !== null;
/** The list's answer is in: rows, or the line saying there are none. */
const LIST_EMPTY = () => document.querySelector('main p.hint[role=status]') !== null;
/** The list's "more" button, in Japanese (the UI's default language). */
const MORE = 'さらに表示';
const rowCount = (page: Page) => page.locator('#incident-list tbody tr').count();

/** Milliseconds from the start of `action` until `ready` holds in the page (polled every frame). */
async function timed(
  page: Page,
  action: () => Promise<unknown>,
  ready: (arg: number) => boolean,
  arg = 0,
): Promise<number> {
  const start = performance.now();
  await action();
  await page.waitForFunction(ready, arg, { polling: 'raf', timeout: 60_000 });
  return performance.now() - start;
}

interface Scenario {
  name: string;
  run: (page: Page, url: string) => Promise<number>;
}

const scenariosFor = (org: BenchOrg): Scenario[] => [
  {
    name: 'dashboard (page load)',
    run: (page, url) => timed(page, () => page.goto(`${url}/dashboard?fy=2024`), DASHBOARD_READY),
  },
  {
    name: 'incident list (page load)',
    run: (page, url) => timed(page, () => page.goto(`${url}/incidents`), LIST_READY),
  },
  {
    name: 'dashboard -> incident list (in-app link)',
    run: async (page, url) => {
      await page.goto(`${url}/dashboard?fy=2024`);
      await page.waitForFunction(DASHBOARD_READY, undefined, { polling: 'raf' });
      return timed(page, () => page.locator('nav a[href="/incidents"]').click(), LIST_READY);
    },
  },
  {
    name: 'incident list: next page',
    run: async (page, url) => {
      await page.goto(`${url}/incidents`);
      await page.waitForFunction(LIST_READY, undefined, { polling: 'raf' });
      const before = await rowCount(page);
      return timed(
        page,
        () => page.getByRole('button', { name: MORE }).click(),
        (n) => document.querySelectorAll('#incident-list tbody tr').length > n,
        before,
      );
    },
  },
  {
    name: 'incident list: FY2023 Q3, one sector',
    run: (page, url) =>
      timed(page, () => page.goto(`${url}/incidents?fy=2023&quarter=3&sector=${org.sector}`), LIST_READY),
  },
  {
    // A word no incident holds: the whole of the caller's incidents is searched.
    name: 'incident list: free text, no match',
    run: (page, url) => timed(page, () => page.goto(`${url}/incidents?q=zzzz-nowhere`), LIST_EMPTY),
  },
];

/**
 * Phase 4: kyoyu serve on the imported database, Debian's Chromium signed in as each role, each
 * scenario timed from navigation until its content is on screen, `runs` times (the first is cold).
 */
export async function uiPhase(
  databaseUrl: string,
  dialect: string,
  org: BenchOrg,
  opts: { runs: number },
): Promise<{ metrics: Metric[]; details: Record<string, unknown> }> {
  log(`\n[4] UI: Chromium against kyoyu serve on ${dialect}, ${opts.runs} runs per scenario and role`);
  ensureWebBuilt();
  const secretKey = randomBytes(32).toString('base64');
  const accounts = await createAccounts(databaseUrl, secretKey, org);
  const server = await startServer(databaseUrl, [], { KYOYU_SECRET_KEY: secretKey });
  const browser = await launchBrowser();
  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {};
  try {
    for (const account of accounts) {
      await browser.context.clearCookies();
      const cookie = await signIn(server.url, account);
      await browser.context.addCookies([{ name: 'kyoyu_session', value: cookie, url: server.url }]);
      for (const scenario of scenariosFor(org)) {
        const times: number[] = [];
        for (let i = 0; i < opts.runs; i++) times.push(await scenario.run(browser.page, server.url));
        const sorted = [...times].sort((a, b) => a - b);
        const median = percentile(sorted, 50);
        const worst = sorted[sorted.length - 1]!;
        log(
          `  ${account.role.padEnd(15)} ${scenario.name.padEnd(42)} median ${fmt(median)} ms, first ${fmt(times[0]!)} ms, worst ${fmt(worst)} ms`,
        );
        details[`${account.role}: ${scenario.name}`] = { times_ms: times.map(Math.round) };
        metrics.push(
          metric(`UI ${scenario.name}, ${account.role} (worst)`, dialect, 'ms', worst, null, {
            op: '<=',
            value: UI_TARGET_MS,
          }),
        );
      }
    }
    if (browser.problems.length > 0) log(`  browser problems: ${browser.problems.join('; ')}`);
  } finally {
    await browser.close();
    await server.stop();
  }
  return { metrics, details };
}
