import type { Role } from '../access/index.js';
import { mfaRequiredFor } from '../modules/auth/session.service.js';
import type { Services } from '../services.js';
import { closeEndedQuarters } from './close-periods.js';
import { DEFAULT_DEMO_SEED, demoOtpauthUri, demoToken, demoTotpSecret } from './credentials.js';
import { GOLDEN_YEAR, demoLines } from './demo-years.js';
import { publishedAggregates } from '../modules/stats/published.js';
import { loadDemoAdvisories } from './advisories.js';
import { loadDemoIntel } from './intel.js';
import { loadDemoPublication } from './publication.js';
import { loadDemoEscalations, loadDemoObligations } from './obligations.js';

export interface DemoAccount {
  role: Role;
  email: string;
  organization: string;
  token: string;
  /** Sign-in password of the demo (the same for every demo account: it is a demo). */
  password: string;
  /** TOTP secret for roles that must use a second factor; add it to an authenticator app. */
  totpSecret?: string;
  /** The same secret as an `otpauth://` URI (what the QR code holds). */
  otpauthUri?: string;
}

export const DEMO_PASSWORD = 'kyoyu-demo-password';

const ACCOUNTS: ReadonlyArray<{ role: Role; email: string; organization: string; sectors?: string[] }> = [
  { role: 'operator', email: 'operator@demo.kyoyu.example', organization: '東雲電力株式会社' },
  {
    role: 'sector_desk',
    email: 'desk@demo.kyoyu.example',
    organization: '経済産業省',
    sectors: ['electricity', 'gas', 'chemical', 'credit', 'petroleum'],
  },
  { role: 'center_analyst', email: 'analyst@demo.kyoyu.example', organization: '国家サイバー統括室' },
  // A second analyst: a lesson learned is approved by someone other than its author.
  { role: 'center_analyst', email: 'analyst2@demo.kyoyu.example', organization: '国家サイバー統括室' },
  { role: 'admin', email: 'admin@demo.kyoyu.example', organization: 'kyoyu 運用管理' },
  // A second admin, so that the two-person rule (a second admin approves) can be tried.
  { role: 'admin', email: 'admin2@demo.kyoyu.example', organization: 'kyoyu 運用管理' },
];

export const DEMO_SOURCE = 'demo';

export interface DemoOptions {
  /** The demo's today: its data runs up to it and every quarter ended by then is closed. */
  now?: Date;
  /** What the accounts' TOTP secrets and tokens are derived from (KYOYU_DEMO_SEED). */
  seed?: string;
}

/**
 * Loads the demo into an empty database: FY2019-FY2022 as published aggregates, FY2023 as records
 * whose statistics are the published FY2023 tables, generated records from FY2024 up to today (so
 * the running fiscal year and its previous five hold data), and one account per role with
 * credentials derived from the seed; every quarter that has ended is closed.
 */
export async function loadDemo(
  services: Services,
  options: DemoOptions = {},
): Promise<{ accounts: DemoAccount[]; lines: number }> {
  const now = options.now ?? new Date();
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  await services.stats.importAggregates(
    publishedAggregates(undefined, services.taxonomy).filter((a) => a.fiscalYear < GOLDEN_YEAR),
  );
  const lines = demoLines(now, services.taxonomy);
  await services.incidents.store(
    DEMO_SOURCE,
    lines.map(({ line, receivedAtMs }) => ({ line, receivedAtMs, createdBy: null })),
  );
  // Users outside the center see closed quarters only: the demo closes every quarter that ended.
  await closeEndedQuarters(services, now);
  const accounts: DemoAccount[] = [];
  for (const a of ACCOUNTS) {
    const { id } = await services.accounts.createUser({
      email: a.email,
      organization: a.organization,
      role: a.role,
      sectors: a.sectors,
    });
    await services.sessions.setPassword(id, DEMO_PASSWORD);
    // The center and admins must sign in with a second factor: the demo enrols one and prints it.
    const totpSecret = mfaRequiredFor({ role: a.role, totp_enabled_at: null })
      ? await services.sessions.enrolTotp(id, demoTotpSecret(seed, a.email))
      : undefined;
    const token = demoToken(seed, a.email);
    await services.accounts.createToken(a.email, { label: 'demo', expiresInDays: 365 }, token);
    accounts.push({
      ...a,
      token,
      password: DEMO_PASSWORD,
      ...(totpSecret ? { totpSecret, otpauthUri: demoOtpauthUri(totpSecret, a.email) } : {}),
    });
  }
  const email = (role: Role) => ACCOUNTS.find((a) => a.role === role)!.email;
  await loadDemoAdvisories(services, email('center_analyst'), email('operator'));
  await loadDemoIntel(services, now);
  await loadDemoPublication(services, email('center_analyst'), 'analyst2@demo.kyoyu.example', now);
  await loadDemoEscalations(services, email('center_analyst'), now);
  await loadDemoObligations(services, email('center_analyst'), now);
  return { accounts, lines: lines.length };
}
