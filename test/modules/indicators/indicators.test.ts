import type { FastifyInstance } from 'fastify';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Dialect } from '../../../src/platform/db/dialect.js';
import { ImportFailed } from '../../../src/modules/import/import.service.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

interface Indicator {
  type: string;
  value: string;
  tlp: string;
  source: string;
}
interface IncidentAnswer {
  id: number;
  tlp: string;
  indicators?: Indicator[];
}

const report = (title: string, extra: Record<string, unknown> = {}) => ({
  channel: 'operator_report',
  received_at: '2024-05-10T10:00:00+09:00',
  sector: 'electricity',
  title,
  description: 'VPN装置から 198.51.100.7 へ通信。hxxps://evil[.]example/drop.exe を取得',
  stage: 'initial',
  event: 'integrity.destruction',
  causes: ['accidental.vulnerability'],
  attack_type: 'ransomware',
  ...extra,
});

const pairs = (list: Indicator[] | undefined) => (list ?? []).map((i) => `${i.type}:${i.value}:${i.tlp}`);

describeEachDialect('indicators on reports on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let operator: TestUser;
  let colleague: TestUser;
  let other: TestUser;
  let desk: TestUser;
  let center: TestUser;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    operator = await makeUser(ctx.services, 'operator', 'Ind Power');
    colleague = await makeUser(ctx.services, 'operator', 'Ind Power');
    other = await makeUser(ctx.services, 'operator', 'Other Power');
    desk = await makeUser(ctx.services, 'sector_desk', 'Desk', ['electricity']);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const create = async (user: TestUser, body: object) => {
    const res = await as(app, user).post('/api/v1/incidents', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<IncidentAnswer>();
  };

  it('stores them in normal form, each once, marked as the incident unless given; the answer equals a read', async () => {
    const created = await create(
      operator,
      report('normal form', {
        indicators: [
          { type: 'ipv6', value: '2001:DB8:0:0:0:0:0:1' },
          { type: 'domain', value: 'Evil.Example.' },
          { type: 'ipv6', value: '2001:db8::1', tlp: 'AMBER+STRICT' },
          { type: 'cve', value: 'cve-2024-3400' },
        ],
      }),
    );
    // The repeat folds into the first, and its stricter marking wins.
    expect(pairs(created.indicators)).toEqual([
      'ipv6:2001:db8::1:AMBER+STRICT',
      'domain:evil.example:AMBER',
      'cve:CVE-2024-3400:AMBER',
    ]);
    const read = await as(app, operator).get(`/api/v1/incidents/${created.id}`);
    expect(read.json()).toEqual(created);
    const list = await as(app, operator).get(`/api/v1/incidents/${created.id}/indicators`);
    expect(list.statusCode, list.body).toBe(200);
    expect(pairs(list.json<{ items: Indicator[] }>().items)).toEqual(pairs(created.indicators));
    expect(list.json<{ items: Indicator[] }>().items.every((i) => i.source === 'reported')).toBe(true);
  });

  it.runIf(dialect === 'postgres')(
    'a new report with indicators is still one statement on PostgreSQL',
    async () => {
      const writeOne = vi.spyOn(ctx.services.database.dialect as Required<Dialect>, 'writeOne');
      try {
        const created = await create(
          operator,
          report('one statement', { indicators: [{ type: 'attack_technique', value: 't1190' }] }),
        );
        expect(writeOne).toHaveBeenCalledTimes(1);
        const written = (await writeOne.mock.results[0]!.value) as { id: number } | null;
        expect(written?.id).toBe(created.id);
        expect(pairs(created.indicators)).toEqual(['attack_technique:T1190:AMBER']);
      } finally {
        writeOne.mockRestore();
      }
    },
  );

  it('a stage report adds only the new ones', async () => {
    const created = await create(
      operator,
      report('stage adds', { indicators: [{ type: 'md5', value: 'D41D8CD98F00B204E9800998ECF8427E' }] }),
    );
    const stage = await as(app, operator).post(`/api/v1/incidents/${created.id}/reports`, {
      received_at: '2024-05-11T10:00:00+09:00',
      description: '続報',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability'],
      indicators: [
        { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
        { type: 'ipv4', value: '203.0.113.0/24' },
      ],
    });
    expect(stage.statusCode, stage.body).toBe(201);
    expect(pairs(stage.json<IncidentAnswer>().indicators)).toEqual([
      'md5:d41d8cd98f00b204e9800998ecf8427e:AMBER',
      'ipv4:203.0.113.0/24:AMBER',
    ]);
  });

  it('a bad one is refused with its field, code and reason, and nothing is stored', async () => {
    const before = await wholeState(ctx.services);
    const res = await as(app, operator).post(
      '/api/v1/incidents',
      report('bad one', {
        indicators: [
          { type: 'ipv4', value: '192.0.2.1' },
          { type: 'domain', value: 'ok.example' },
          { type: 'ipv4', value: '192.0.2.300' },
        ],
      }),
      { 'accept-language': 'en' },
    );
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json<{ error: { details: { field: string; code: string; message: string }[] } }>()
      .error.details;
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ field: 'body.indicators.2.value', code: 'invalid_indicator' });
    expect(details[0]!.message).toContain('indicator 3 (ipv4)');
    expect(details[0]!.message).toContain('"300"');
    expect(await wholeState(ctx.services)).toEqual(before);
  });

  it('an indicator marked stricter than its incident reaches only those its marking allows', async () => {
    const created = await create(
      operator,
      report('stricter', {
        tlp: 'GREEN',
        indicators: [
          { type: 'domain', value: 'community.example' },
          { type: 'domain', value: 'desk.example', tlp: 'AMBER' },
          { type: 'domain', value: 'owner.example', tlp: 'RED' },
        ],
      }),
    );
    const seenBy = async (user: TestUser) => {
      const one = await as(app, user).get(`/api/v1/incidents/${created.id}`);
      const list = await as(app, user).get(`/api/v1/incidents/${created.id}/indicators`);
      const viaView = (one.json<IncidentAnswer>().indicators ?? []).map((i) => i.value);
      expect(list.json<{ items: Indicator[] }>().items.map((i) => i.value)).toEqual(viaView);
      return viaView;
    };
    expect(await seenBy(colleague)).toEqual(['community.example', 'desk.example', 'owner.example']);
    expect(await seenBy(center)).toEqual(['community.example', 'desk.example', 'owner.example']);
    expect(await seenBy(desk)).toEqual(['community.example', 'desk.example']);
    expect(await seenBy(other)).toEqual(['community.example']);
    // The export carries the same, per caller.
    const csv = await as(app, other).get('/api/v1/incidents.csv?q=stricter&lang=en');
    expect(csv.statusCode).toBe(200);
    const header = csv.body.split('\r\n')[0]!.split(',');
    expect(header[header.length - 1]).toBe('indicators');
    expect(csv.body).toContain('domain:community.example');
    expect(csv.body).not.toContain('desk.example');
    const own = await as(app, operator).get('/api/v1/incidents.csv?q=stricter&lang=en');
    expect(own.body).toContain('domain:community.example domain:desk.example domain:owner.example');
  });

  it('offers what the text says and is not stored, with where; adopting stores it and it is offered no more', async () => {
    const created = await create(
      operator,
      report('suggest', { indicators: [{ type: 'ipv4', value: '198.51.100.7' }] }),
    );
    await as(app, operator).post(`/api/v1/incidents/${created.id}/reports`, {
      received_at: '2024-05-11T10:00:00+09:00',
      description: 'C2 は evil.example、CVE-2024-3400 を悪用。再度 hxxps://evil[.]example/drop.exe',
      event: 'integrity.destruction',
      causes: ['accidental.vulnerability'],
    });
    const suggested = await as(app, operator).get(`/api/v1/incidents/${created.id}/indicators/suggested`);
    expect(suggested.statusCode, suggested.body).toBe(200);
    const body = suggested.json<{
      may_adopt: boolean;
      items: { type: string; value: string; found_in: { where: string }[] }[];
    }>();
    expect(body.may_adopt).toBe(true);
    // The stored IPv4 is not offered; the URL written in each text is offered once, with every
    // place (the description is the latest report's, so the second report's text is there too).
    expect(body.items.map((i) => `${i.type}:${i.value}`)).toEqual([
      'domain:evil.example',
      'cve:CVE-2024-3400',
      'url:https://evil.example/drop.exe',
    ]);
    expect(body.items[2]!.found_in.map((f) => f.where)).toEqual(['description', 'report', 'report']);

    const adopted = await as(app, operator).post(`/api/v1/incidents/${created.id}/indicators`, {
      indicators: [
        { type: 'cve', value: 'CVE-2024-3400' },
        { type: 'ipv4', value: '198.51.100.7' },
      ],
    });
    expect(adopted.statusCode, adopted.body).toBe(200);
    expect(adopted.json<{ added: number }>().added).toBe(1);
    const items = adopted.json<{ items: Indicator[] }>().items;
    expect(items.map((i) => `${i.value}:${i.source}`)).toEqual([
      '198.51.100.7:reported',
      'CVE-2024-3400:adopted',
    ]);
    const again = await as(app, operator).get(`/api/v1/incidents/${created.id}/indicators/suggested`);
    expect(again.json<{ items: { value: string }[] }>().items.map((i) => i.value)).not.toContain(
      'CVE-2024-3400',
    );
    const entry = await ctx.services.database.db
      .selectFrom('audit_log')
      .select(['action', 'object_id'])
      .where('action', '=', 'incident.indicators_adopt')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(entry).toMatchObject({ action: 'incident.indicators_adopt' });
  });

  it('adoption is for the owner and the center; an unseen incident is 404 as a missing one, and nothing changes', async () => {
    const amber = await create(operator, report('adopt rights'));
    const body = { indicators: [{ type: 'domain', value: 'adopt.example' }] };
    const before = await wholeState(ctx.services);
    expect((await as(app, other).post(`/api/v1/incidents/${amber.id}/indicators`, body)).statusCode).toBe(
      404,
    );
    expect((await as(app, other).post(`/api/v1/incidents/999999/indicators`, body)).statusCode).toBe(404);
    expect((await as(app, desk).post(`/api/v1/incidents/${amber.id}/indicators`, body)).statusCode).toBe(403);
    const green = await create(operator, report('adopt rights green', { tlp: 'GREEN' }));
    const mid = await wholeState(ctx.services);
    const seenNotOwn = await as(app, other).post(`/api/v1/incidents/${green.id}/indicators`, body);
    expect(seenNotOwn.statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(mid);
    const offered = await as(app, other).get(`/api/v1/incidents/${green.id}/indicators/suggested`);
    expect(offered.json<{ may_adopt: boolean }>().may_adopt).toBe(false);
    expect(before).not.toEqual(mid);
    const byCenter = await as(app, center).post(`/api/v1/incidents/${amber.id}/indicators`, body);
    expect(byCenter.statusCode, byCenter.body).toBe(200);
    const byColleague = await as(app, colleague).post(`/api/v1/incidents/${amber.id}/indicators`, {
      indicators: [{ type: 'email', value: 'phish@adopt.example' }],
    });
    expect(byColleague.json<{ items: Indicator[] }>().items.map((i) => i.value)).toEqual([
      'adopt.example',
      'phish@adopt.example',
    ]);
  });

  describe('an import line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-indicators-'));
    const line = (ref: string, indicators: object[]) =>
      JSON.stringify({
        ref,
        channel: 'operator_report',
        received_at: '2023-05-15T14:00:00+09:00',
        organization: 'Import Ind',
        sector: 'finance',
        title: 'phishing',
        description: 'd',
        stage: 'initial',
        event: 'not_occurred.precursor',
        causes: ['intentional.suspicious_email'],
        attack_type: null,
        indicators,
      });
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('carries indicators, stored in normal form; a bad one fails the file with its line and field', async () => {
      const before = await wholeState(ctx.services);
      const error = await ctx.services.imports
        .importFile(
          file(
            'bad.jsonl',
            [line('IMP-IND-1', []), line('IMP-IND-2', [{ type: 'sha1', value: 'abc' }])].join('\n'),
          ),
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toBeInstanceOf(ImportFailed);
      expect((error as ImportFailed).errors.map((e) => [e.line, e.field, e.code])).toEqual([
        [2, 'indicators.0.value', 'invalid_indicator'],
      ]);
      expect(await wholeState(ctx.services)).toEqual(before);

      await ctx.services.imports.importFile(
        file(
          'good.jsonl',
          [
            line('IMP-IND-3', [
              { type: 'email', value: 'Phish@Example.JP' },
              { type: 'url', value: 'HTTP://Example.JP/a' },
            ]),
          ].join('\n'),
        ),
      );
      const rows = await ctx.services.database.db
        .selectFrom('incident_indicators as i')
        .innerJoin('incidents as n', 'n.id', 'i.incident_id')
        .select(['i.type', 'i.value', 'i.tlp'])
        .where('n.ref', '=', 'IMP-IND-3')
        .orderBy('i.id')
        .execute();
      expect(rows).toEqual([
        { type: 'email', value: 'Phish@example.jp', tlp: 'AMBER' },
        { type: 'url', value: 'http://example.jp/a', tlp: 'AMBER' },
      ]);
    });
  });
});
