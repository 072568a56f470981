import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditEntry } from '../../../src/modules/audit/audit.chain.js';
import { entryHash } from '../../../src/modules/audit/audit.chain.js';
import type { TestUser } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const SAMPLE = new URL('../../fixtures/sample-reports.jsonl', import.meta.url).pathname;

const report = (ref: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-11-01T09:00:00+09:00',
  organization: 'Audit Water',
  sector: 'water',
  title: '監視端末の不審な通信',
  description: '調査中',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
});

describeEachDialect('audit trail on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser, center: TestUser, admin: TestUser;
  const ids: number[] = [];
  const db = () => ctx.services.database.db;
  const entries = () => db().selectFrom('audit_log').selectAll().orderBy('chain').orderBy('seq').execute();
  const verify = () => cli(ctx.url, 'audit', 'verify');
  const problemLines = (out: string) => out.split('\n').filter((l) => l.startsWith('chain='));

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Audit Water');
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    admin = await makeUser(ctx.services, 'admin', 'Center');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('records every write and read of an incident: who, what, when, from where, which request', async () => {
    for (const ref of ['AU-1', 'AU-2', 'AU-3']) {
      const res = await as(app, op).post('/api/v1/incidents', report(ref));
      expect(res.statusCode).toBe(201);
      ids.push(res.json<{ id: number }>().id);
    }
    const [id] = ids as [number];
    const stage = { ...report('AU-1'), stage: 'update', received_at: '2023-11-02T09:00:00+09:00' };
    const { ref: _r, channel: _c, organization: _o, ...stageBody } = stage;
    expect((await as(app, op).post(`/api/v1/incidents/${id}/reports`, stageBody)).statusCode).toBe(201);
    const classification = { event: 'other', causes: ['other.unknown'], attack_type: null };
    expect(
      (await as(app, center).put(`/api/v1/incidents/${id}/classification`, classification)).statusCode,
    ).toBe(200);
    expect((await as(app, center).delete(`/api/v1/incidents/${id}/classification`)).statusCode).toBe(200);
    const read = await as(app, op).get(`/api/v1/incidents/${id}`);
    expect(read.statusCode).toBe(200);
    expect((await as(app, op).get('/api/v1/incidents?fy=2023&sector=water')).statusCode).toBe(200);
    expect((await as(app, op).get('/api/v1/incidents/999999')).statusCode).toBe(404);
    // More reads, so that the PostgreSQL chains get entries with neighbours to tamper with.
    for (let i = 0; i < 30; i++) await as(app, center).get(`/api/v1/incidents/${ids[i % 3]!}`);
    expect(await cli(ctx.url, 'import', SAMPLE)).toMatchObject({ code: 0 });

    const log = await db().selectFrom('audit_log').selectAll().orderBy('id').execute();
    const of = (action: string) => log.filter((e) => e.action === action);
    expect(of('incident.create').map((e) => Number(e.object_id))).toEqual(ids);
    expect(of('incident.create')[2]).toMatchObject({
      actor: op.email,
      object_type: 'incident',
      ip: '127.0.0.1',
    });
    expect(JSON.parse(of('incident.create')[2]!.details!)).toMatchObject({ ref: 'AU-3', stage: 'initial' });
    expect(of('incident.report')).toHaveLength(1);
    expect(JSON.parse(of('incident.report')[0]!.details!)).toMatchObject({
      stage: 'update',
      stage_added: true,
    });
    expect(of('incident.classify').map((e) => e.actor)).toEqual([center.email]);
    expect(of('incident.classification_clear')).toHaveLength(1);
    const reads = of('incident.read');
    expect(reads).toHaveLength(31); // the 404 is not a read of anything
    expect(reads[0]).toMatchObject({
      actor: op.email,
      object_id: String(id),
      ip: '127.0.0.1',
      request_id: read.headers['x-request-id'],
    });
    expect(reads[0]!.actor_user_id).toBeGreaterThan(0);
    expect(Date.parse(reads[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
    const lists = of('incidents.list');
    expect(lists).toHaveLength(1);
    expect(JSON.parse(lists[0]!.details!)).toEqual({
      filter: { fy: 2023, sector: 'water', limit: 50 },
      returned: 3,
    });
    const imports = of('import.file');
    expect(imports).toHaveLength(1); // one per file, not per line
    expect(imports[0]).toMatchObject({ actor: 'cli:import', actor_user_id: null, object_id: SAMPLE });
    expect(JSON.parse(imports[0]!.details!)).toMatchObject({
      source: 'import',
      lines: readFileSync(SAMPLE, 'utf8').trim().split('\n').length,
    });
    if (dialect === 'postgres') expect(new Set(log.map((e) => e.chain)).size).toBeGreaterThan(1);
  });

  it('kyoyu audit verify passes, then names an edited, a deleted and an inserted entry', async () => {
    const all = await entries();
    const ok = await verify();
    const chains = new Set(all.map((e) => e.chain)).size;
    // One chain on SQLite: `1 chain`, the plural only for several.
    const chainWord = chains === 1 ? 'chain' : 'chains';
    expect(ok.database).toMatch(/^(sqlite:|postgres:)/);
    expect({ code: ok.code, out: ok.out, err: ok.err }).toEqual({
      code: 0,
      out: `ok: ${all.length} entries in ${chains} ${chainWord}\n`,
      err: '',
    });

    // An entry in the middle of a chain: one with a successor (not a creation entry, whose rewrite
    // would also leave its incident without one).
    const middle = all.find(
      (e) =>
        e.seq > 1 &&
        e.action !== 'incident.create' &&
        all.some((n) => n.chain === e.chain && n.seq === e.seq + 1),
    )!;
    const where = `chain=${middle.chain} seq=${middle.seq}`;

    await db()
      .updateTable('audit_log')
      .set({ actor: 'someone-else@example' })
      .where('id', '=', middle.id)
      .execute();
    const edited = await verify();
    expect(edited.code).toBe(1);
    expect(problemLines(edited.out)).toEqual([
      `${where} id=${middle.id} kind=edited: content does not match its hash`,
    ]);
    expect(edited.err).toMatch(/audit trail NOT intact: 1 problem/);
    await db().updateTable('audit_log').set({ actor: middle.actor }).where('id', '=', middle.id).execute();

    // Rewritten with a recomputed hash: its successor no longer links to it.
    const rewritten = { ...middle, object_id: 'x' };
    const rehash = entryHash(middle.prev_hash, middle, rewritten);
    await db()
      .updateTable('audit_log')
      .set({ object_id: 'x', hash: rehash })
      .where('id', '=', middle.id)
      .execute();
    expect(problemLines((await verify()).out)).toEqual([
      expect.stringMatching(new RegExp(`^${where} id=${middle.id} kind=edited: rewritten`)),
    ]);
    await db()
      .updateTable('audit_log')
      .set({ object_id: middle.object_id, hash: middle.hash })
      .where('id', '=', middle.id)
      .execute();
    expect((await verify()).code).toBe(0);

    await db().deleteFrom('audit_log').where('id', '=', middle.id).execute();
    const deleted = await verify();
    expect(deleted.code).toBe(1);
    expect(problemLines(deleted.out)).toEqual([
      expect.stringMatching(new RegExp(`^${where} id=- kind=deleted: 1 entry missing`)),
    ]);
    await db().insertInto('audit_log').values(middle).execute();
    expect((await verify()).code).toBe(0);

    // A forged entry as a careful forger would write it: next seq, linked to the last hash, hash recomputed.
    const head = await db()
      .selectFrom('audit_heads')
      .selectAll()
      .where('chain', '=', middle.chain)
      .executeTakeFirstOrThrow();
    const forged = {
      ...middle,
      seq: head.seq + 1,
      prev_hash: head.hash,
      action: 'incident.read',
      object_id: '1',
    };
    const forgedId =
      (
        await db()
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirstOrThrow()
      ).id + 1;
    const row = { ...forged, id: forgedId, hash: entryHash(head.hash, { ...forged, id: forgedId }, forged) };
    await db().insertInto('audit_log').values(row).execute();
    const inserted = await verify();
    expect(inserted.code).toBe(1);
    expect(problemLines(inserted.out)).toEqual([
      `chain=${middle.chain} seq=${head.seq + 1} id=${forgedId} kind=inserted: entry beyond the chain's head (seq ${head.seq})`,
    ]);
    await db().deleteFrom('audit_log').where('id', '=', forgedId).execute();

    // Entries cut off the end of a chain: only its head still knows they existed.
    const last = all.filter((e) => e.chain === middle.chain).at(-1)!;
    await db().deleteFrom('audit_log').where('id', '=', last.id).execute();
    const cut = problemLines((await verify()).out);
    expect(cut[0]).toMatch(new RegExp(`^chain=${last.chain} seq=${last.seq} id=- kind=head_mismatch`));
    // When the entry cut off was the import's (the last one on SQLite), its incidents lost their entry.
    const created = (JSON.parse(last.details ?? '{}') as { created_ids?: Array<[number, number]> })
      .created_ids;
    const lostCreations = (created ?? []).reduce((n, [a, b]) => n + b - a + 1, 0);
    expect(cut.slice(1).filter((l) => / kind=missing_creation: incident \d+ /.test(l))).toHaveLength(
      Math.min(lostCreations, 999),
    );
    expect(cut).toHaveLength(Math.min(1 + lostCreations, 1000));
    await db().insertInto('audit_log').values(last).execute();
    expect(await verify()).toMatchObject({ code: 0 });
  });

  it('a bulk load without a caller (the demo) writes one entry for the batch, with its counts', async () => {
    const submissions = ['AU-B1', 'AU-B2'].map((ref) => ({
      line: { ...report(ref), channel: 'operator_report' as const, stage: 'initial' as const },
      receivedAtMs: Date.parse('2023-11-01T00:00:00Z'),
      createdBy: null,
    }));
    const stored = await ctx.services.incidents.store('bulk', submissions);
    const [b1, b2] = stored.map((r) => r.incidentId) as [number, number];
    const loads = await db()
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'incidents.load')
      .execute();
    expect(loads).toHaveLength(1);
    expect(loads[0]).toMatchObject({ actor: 'system', actor_user_id: null });
    expect(JSON.parse(loads[0]!.details!)).toEqual({
      source: 'bulk',
      reports: 2,
      incidents_created: 2,
      reports_added: 2,
      created_ids: [[b1, b2]],
      reported_ids: [],
    });
  });

  it('concurrent writers and readers each get their entry, and every chain stays intact', async () => {
    const before = (await entries()).length;
    const results = await Promise.all([
      ...Array.from({ length: 24 }, (_, i) => as(app, op).post('/api/v1/incidents', report(`AU-C${i}`))),
      ...Array.from({ length: 24 }, (_, i) => as(app, center).get(`/api/v1/incidents/${ids[i % 3]!}`)),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([
      ...Array.from({ length: 24 }, () => 200),
      ...Array.from({ length: 24 }, () => 201),
    ]);
    expect((await entries()).length).toBe(before + 48);
    expect(await verify()).toMatchObject({ code: 0 });
  });

  it('verify reads in pages: the same answer with pages of 7 entries', async () => {
    const problems: unknown[] = [];
    const summary = await ctx.services.audit.verify((p) => problems.push(p), { pageSize: 7 });
    expect(problems).toEqual([]);
    expect(summary.entries).toBe((await entries()).length);
  });

  it('admins read the trail through the API, newest first, filtered and paged; no one else may', async () => {
    const id = ids[0]!;
    const page1 = await as(app, admin).get(`/api/v1/audit?object_type=incident&object_id=${id}&limit=3`);
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json<{ items: AuditEntry[]; next_cursor: string | null }>();
    expect(body1.items).toHaveLength(3);
    expect(body1.items.every((e) => e.object_id === String(id))).toBe(true);
    const itemIds = body1.items.map((e) => e.id);
    expect(itemIds).toEqual([...itemIds].sort((a, b) => b - a));
    const page2 = await as(app, admin).get(
      `/api/v1/audit?object_type=incident&object_id=${id}&limit=100&cursor=${body1.next_cursor!}`,
    );
    const rest = page2.json<{ items: AuditEntry[] }>().items;
    expect(rest[0]!.id).toBeLessThan(itemIds[2]!);
    expect(rest.at(-1)).toMatchObject({ action: 'incident.create', details: { ref: 'AU-1' } });

    const byUser = await as(app, admin).get(`/api/v1/audit?action=incident.classify`);
    expect(byUser.json<{ items: AuditEntry[] }>().items.map((e) => e.actor)).toEqual([center.email]);
    const future = await as(app, admin).get('/api/v1/audit?from=2999-01-01T00:00:00Z');
    expect(future.json()).toEqual({ items: [], next_cursor: null });
    expect((await as(app, admin).get('/api/v1/audit?cursor=bogus')).statusCode).toBe(400);
    expect((await as(app, admin).get('/api/v1/audit?from=2024-01-01T00:00:00')).statusCode).toBe(400);

    for (const user of [op, center]) expect((await as(app, user).get('/api/v1/audit')).statusCode).toBe(403);
    expect((await as(app, null).get('/api/v1/audit')).statusCode).toBe(401);

    // Looking at the trail is on the trail too, and the chains still verify.
    const seen = await db().selectFrom('audit_log').selectAll().where('action', '=', 'audit.read').execute();
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.every((e) => e.actor === admin.email)).toBe(true);
    expect(await verify()).toMatchObject({ code: 0 });
  });
});
