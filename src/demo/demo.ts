import { parseInstant } from '../domain/report-line.js';
import type { ReportLine } from '../domain/report-line.js';
import type { Role } from '../access/index.js';
import { mfaRequiredFor } from '../modules/auth/session.service.js';
import type { Services } from '../services.js';
import { generateRecentRecords } from './dataset-recent.js';
import { closeEndedQuarters } from './close-periods.js';
import { goldenFy2023Lines } from './golden.js';
import { publishedAggregates } from '../modules/stats/published.js';

export interface DemoAccount {
  role: Role;
  email: string;
  organization: string;
  token: string;
  /** Sign-in password of the demo (the same for every demo account: it is a demo). */
  password: string;
  /** TOTP secret for roles that must use a second factor; add it to an authenticator app. */
  totpSecret?: string;
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
  { role: 'admin', email: 'admin@demo.kyoyu.example', organization: 'kyoyu 運用管理' },
  // A second admin, so that the two-person rule (a second admin approves) can be tried.
  { role: 'admin', email: 'admin2@demo.kyoyu.example', organization: 'kyoyu 運用管理' },
];

export const DEMO_SOURCE = 'demo';

/**
 * Loads the demo into an empty database: FY2019-FY2022 as published aggregates, FY2023 as records
 * whose statistics are the published FY2023 tables, some FY2024 records, and one account per role;
 * every quarter that has ended is closed.
 */
export async function loadDemo(services: Services): Promise<{ accounts: DemoAccount[]; lines: number }> {
  await services.stats.importAggregates(
    publishedAggregates(undefined, services.taxonomy).filter((a) => a.fiscalYear < 2023),
  );
  const lines: ReportLine[] = [
    ...goldenFy2023Lines(),
    ...generateRecentRecords({ fiscalYear: 2024, count: 400, taxonomy: services.taxonomy }),
  ];
  await services.incidents.store(
    DEMO_SOURCE,
    lines.map((line) => {
      const parsed = parseInstant(line.received_at);
      if (!parsed.ok) throw new Error(`demo line ${line.ref} has a bad time`);
      return { line, receivedAtMs: parsed.epochMs, createdBy: null };
    }),
  );
  // Users outside the center see closed quarters only: the demo closes every quarter that ended.
  await closeEndedQuarters(services);
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
      ? await services.sessions.enrolTotp(id)
      : undefined;
    accounts.push({
      ...a,
      token: await services.accounts.createToken(a.email, { label: 'demo', expiresInDays: 365 }),
      password: DEMO_PASSWORD,
      ...(totpSecret ? { totpSecret } : {}),
    });
  }
  return { accounts, lines: lines.length };
}
