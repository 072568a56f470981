import type { FastifyInstance } from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { stateSnapshot, tableNames } from '../../support/state.js';

interface Incident {
  id: number;
  stage: string;
  final_received_at: string | null;
  state: string;
  reports: unknown[];
}

const dir = mkdtempSync(join(tmpdir(), 'kyoyu-final-'));
const stage = (stageName: string, received_at: string) => ({
  stage: stageName,
  received_at,
  description: `${stageName} at ${received_at}`,
  event: 'availability.disruption',
  causes: ['intentional.ddos'],
  attack_type: 'ddos',
});
const line = (ref: string, stageName: string, received_at: string) =>
  JSON.stringify({
    ref,
    channel: 'operator_report',
    organization: 'Final Rail',
    sector: 'railway',
    title: `${ref} ${stageName}`,
    ...stage(stageName, received_at),
  });

describeEachDialect('a final report closes its incident on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser, center: TestUser;
  let tables: string[];
  const snapshot = () => stateSnapshot(ctx.services, tables);
  const code = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Final Rail');
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    tables = await tableNames(ctx.services);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('refuses a stage received after the final until the center reopens the incident, for one more cycle', async () => {
    const created = await as(app, op).post('/api/v1/incidents', {
      channel: 'operator_report',
      ref: 'FIN-1',
      organization: 'Final Rail',
      sector: 'railway',
      title: 'signal outage',
      ...stage('initial', '2023-11-02T10:00:00+09:00'),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<Incident>().id;
    const post = (s: ReturnType<typeof stage>) => as(app, op).post(`/api/v1/incidents/${id}/reports`, s);
    expect((await post(stage('update', '2023-11-03T10:00:00+09:00'))).statusCode).toBe(201);
    const final = await post(stage('final', '2023-11-05T10:00:00+09:00'));
    expect(final.statusCode).toBe(201);
    expect(final.json<Incident>().final_received_at).toBe('2023-11-05T01:00:00.000Z');

    const before = await snapshot();
    const late = await post(stage('update', '2023-11-06T10:00:00+09:00'));
    expect([late.statusCode, code(late)]).toEqual([409, 'incident_final']);
    const secondFinal = await post(stage('final', '2023-11-07T10:00:00+09:00'));
    expect([secondFinal.statusCode, code(secondFinal)]).toEqual([409, 'incident_final']);
    // The reporter cannot reopen it.
    expect((await as(app, op).post(`/api/v1/incidents/${id}/reopen`, {})).statusCode).toBe(403);
    expect(await snapshot()).toEqual(before);

    // A report of what happened before the final is history, not a new stage after it: kept.
    const earlier = await post(stage('update', '2023-11-04T10:00:00+09:00'));
    expect(earlier.statusCode).toBe(201);
    expect(earlier.json<Incident>().stage).toBe('final');

    const reopened = await as(app, center).post(`/api/v1/incidents/${id}/reopen`, { note: 'more found' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json<Incident>()).toMatchObject({ final_received_at: null, state: 'received' });
    expect(code(await as(app, center).post(`/api/v1/incidents/${id}/reopen`, {}))).toBe('lifecycle_conflict');

    expect((await post(stage('update', '2023-11-08T10:00:00+09:00'))).statusCode).toBe(201);
    expect((await post(stage('final', '2023-11-09T10:00:00+09:00'))).statusCode).toBe(201);
    expect(code(await post(stage('update', '2023-11-10T10:00:00+09:00')))).toBe('incident_final');
    const read = await as(app, op).get(`/api/v1/incidents/${id}`);
    expect(read.json<Incident>().reports).toHaveLength(6);
    const trail = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('object_id', '=', String(id))
      .where('action', '=', 'incident.reopen')
      .execute();
    expect(trail).toEqual([{ action: 'incident.reopen', actor: center.email }]);
  });

  it('a file lists stages in any order: the final first is fine, a stage received after it fails the file', async () => {
    const good = join(dir, `any-order-${dialect}.jsonl`);
    writeFileSync(
      good,
      [
        line('IMP-1', 'final', '2023-12-05T10:00:00+09:00'),
        line('IMP-1', 'update', '2023-12-03T10:00:00+09:00'),
        line('IMP-1', 'initial', '2023-12-01T10:00:00+09:00'),
      ].join('\n'),
    );
    const summary = await ctx.services.imports.importFile(good);
    expect(summary).toMatchObject({ incidents_created: 1, reports_added: 3 });

    const bad = join(dir, `after-final-${dialect}.jsonl`);
    writeFileSync(
      bad,
      [
        line('IMP-2', 'initial', '2023-12-01T10:00:00+09:00'),
        line('IMP-2', 'final', '2023-12-05T10:00:00+09:00'),
        line('IMP-2', 'update', '2023-12-06T10:00:00+09:00'),
      ].join('\n'),
    );
    const before = await snapshot();
    const error = await ctx.services.imports.importFile(bad).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, code: 'incident_final', details: { ref: 'IMP-2', line: 3 } });
    expect(await snapshot()).toEqual(before);

    // A later file cannot add to the closed incident either.
    const later = join(dir, `later-${dialect}.jsonl`);
    writeFileSync(later, line('IMP-1', 'update', '2023-12-07T10:00:00+09:00'));
    const refused = await ctx.services.imports.importFile(later).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'incident_final', details: { ref: 'IMP-1', line: 1 } });
    expect(await snapshot()).toEqual(before);
  });
});
