import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TestUser } from './api.js';
import { as } from './api.js';

/** An operator's initial report, received at `receivedAt`. */
export function report(user: TestUser, receivedAt: string, extra: Record<string, unknown> = {}) {
  return {
    channel: 'operator_report',
    received_at: receivedAt,
    organization: user.organization,
    sector: 'electricity',
    title: `report at ${receivedAt} ${Math.random().toString(36).slice(2, 7)}`,
    description: 'x',
    stage: 'initial',
    event: 'integrity.destruction',
    causes: ['other.unknown'],
    attack_type: null,
    ...extra,
  };
}

export async function file(
  app: FastifyInstance,
  user: TestUser,
  receivedAt: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const res = await as(app, user).post('/api/v1/incidents', report(user, receivedAt, extra));
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: number }>().id;
}

export interface StatsAnswer {
  columns: string[];
  column_states: string[];
  tables: Record<string, Record<string, Array<number | null>>>;
  published_years: Array<{ fiscal_year: number; records: number }>;
  quarters: Array<{ quarter: number; state: string; late_filings: number | null; ended: boolean }>;
}

export async function stats(
  app: FastifyInstance,
  user: TestUser,
  fy: number,
  history = 4,
): Promise<StatsAnswer> {
  const res = await as(app, user).get(`/api/v1/stats/info-sharing?fy=${fy}&history=${history}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<StatsAnswer>();
}

/** One column of every row of every table: what a column "shows". */
export function column(answer: StatsAnswer, label: string): Record<string, Array<number | null>> {
  const i = answer.columns.indexOf(label);
  expect(i, label).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(
    Object.entries(answer.tables).map(([table, rows]) => [table, Object.values(rows).map((v) => v[i]!)]),
  );
}
