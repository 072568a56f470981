import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StixBundle, StixObject } from '../../../src/modules/stix/index.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { stixProblems } from '../../support/stix-rules.js';

/** What must never leave in an anonymised export: planted in the record's every free-text field. */
const PLANTED = {
  organization: '東雲電力株式会社',
  person: '山田太郎',
  email: 'yamada.taro@shinonome-power.example',
  host: 'scada-gw01.shinonome.local',
  ip: '10.20.30.40',
  ref: 'SHINONOME-GRID-0042',
};
const CORE = 'extension-definition--ef765651-680c-498d-9894-99799f2fa126';

const report = (ref: string | undefined, tlp: string) => ({
  ...(ref ? { ref } : {}),
  channel: 'operator_report',
  received_at: '2024-05-01T09:00:00+09:00',
  occurred_at: '2024-05-01T06:30:00+09:00',
  sector: 'electricity',
  title: `${PLANTED.organization}: 制御系サーバ ${PLANTED.host} 停止`,
  description: `担当 ${PLANTED.person} (${PLANTED.email})。${PLANTED.ip} から不審な通信。`,
  stage: 'initial',
  event: 'availability.disruption',
  causes: ['intentional.suspicious_email'],
  attack_type: 'ransomware',
  tlp,
});
const stage = (stageName: string, n: number) => ({
  stage: stageName,
  received_at: `2024-05-0${n}T09:00:00+09:00`,
  description: `続報 ${n}: ${PLANTED.person} が ${PLANTED.host} を隔離`,
  event: 'availability.disruption',
  causes: ['intentional.suspicious_email'],
  attack_type: 'ransomware',
});

const one = (b: StixBundle, type: string): StixObject => {
  const found = b.objects.filter((o) => o.type === type);
  expect(found, type).toHaveLength(1);
  return found[0]!;
};
const core = (b: StixBundle) =>
  (one(b, 'incident').extensions as Record<string, Record<string, unknown>>)[CORE]!;

describeEachDialect('STIX 2.1 export of incidents on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let reporter: TestUser;
  let center: TestUser;
  let outsider: TestUser;
  let green: number;
  let red: number;
  let readable: number;

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    reporter = await makeUser(ctx.services, 'operator', PLANTED.organization);
    center = await makeUser(ctx.services, 'center_analyst', '国家サイバー統括室');
    outsider = await makeUser(ctx.services, 'operator', 'Gamma Bank');
    const post = async (body: object) => {
      const res = await as(app, reporter).post('/api/v1/incidents', body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: number }>().id;
    };
    green = await post(report(PLANTED.ref, 'GREEN'));
    red = await post(report('SHINONOME-RED-1', 'RED'));
    readable = await post(report(undefined, 'GREEN'));
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  const bundleFor = async (user: TestUser, id: number) => {
    const res = await as(app, user).get(`/api/v1/incidents/${id}/stix`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<StixBundle>();
  };

  it('the center gets the incident with its core extension, impact, sector and marking, keeping every rule', async () => {
    const b = await bundleFor(center, green);
    expect(stixProblems(b)).toEqual([]);
    const incident = one(b, 'incident');
    expect(incident.name).toContain(PLANTED.host);
    expect(incident.external_references).toEqual([{ source_name: 'kyoyu', external_id: PLANTED.ref }]);
    expect(core(b)).toEqual({
      extension_type: 'property-extension',
      determination: 'suspected',
      investigation_status: 'new',
      incident_types: ['denial-of-service', 'ransomware'],
      impacted_entity_counts: { organizations: 1 },
      impact_refs: [one(b, 'impact').id],
    });
    expect(one(b, 'impact')).toMatchObject({
      impact_category: 'availability',
      start_time: '2024-04-30T21:30:00.000Z',
      extensions: { availability: { availability_impact: 100 } },
    });
    expect(one(b, 'identity')).toMatchObject({ identity_class: 'class', sectors: ['energy', 'utilities'] });
    // GREEN for the record's objects, CLEAR for the sector's identity (a name that says nothing).
    const markings = b.objects.filter((o) => o.type === 'marking-definition');
    expect(markings.map((m) => m.name).sort()).toEqual(['TLP:CLEAR', 'TLP:GREEN']);
    expect(incident.object_marking_refs).toEqual([
      'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
    ]);
    // No organisation identity: it has not consented to be named.
    expect(b.objects.filter((o) => o.identity_class === 'organization')).toEqual([]);
  });

  it('its own organisation reads it whole; anyone else who may read it gets it anonymised; RED stays unseen', async () => {
    const own = await bundleFor(reporter, green);
    expect(one(own, 'incident').name).toContain(PLANTED.host);
    const anonymised = await bundleFor(outsider, green);
    expect(stixProblems(anonymised)).toEqual([]);
    const text = JSON.stringify(anonymised);
    for (const [what, value] of Object.entries(PLANTED)) expect(text, what).not.toContain(value);
    // What it says instead is the taxonomy's: the event's and the sector's labels.
    const { events, sectors } = ctx.services.taxonomy.data;
    const event = events.find((e) => e.code === 'availability.disruption')!;
    const sector = sectors.find((e) => e.code === 'electricity')!;
    expect(one(anonymised, 'incident').name).toBe(`${event.en} (${event.ja}): ${sector.en} (${sector.ja})`);
    expect(one(anonymised, 'incident').id).not.toBe(one(own, 'incident').id);
    expect((await as(app, outsider).get(`/api/v1/incidents/${red}/stix`)).statusCode).toBe(404);
    expect((await as(app, outsider).get('/api/v1/incidents/999999/stix')).statusCode).toBe(404);
    // kyoyu's own readable ref names no one: it stays in an anonymised export.
    const ref = one(await bundleFor(outsider, readable), 'incident').external_references as Array<{
      external_id: string;
    }>;
    expect(ref[0]!.external_id).toMatch(/^KY-2024-/);
  });

  it('exports with the same ids each time; a new report moves modified and the status, never created', async () => {
    const first = await bundleFor(center, green);
    expect(await bundleFor(center, green)).toEqual(first);
    const before = one(first, 'incident');
    await new Promise((r) => setTimeout(r, 5));
    const added = await as(app, reporter).post(`/api/v1/incidents/${green}/reports`, stage('update', 2));
    expect(added.statusCode, added.body).toBe(201);
    const second = await bundleFor(center, green);
    expect(stixProblems(second)).toEqual([]);
    const after = one(second, 'incident');
    expect([after.id, after.created]).toEqual([before.id, before.created]);
    expect(after.modified! > before.modified!).toBe(true);
    expect(core(second).investigation_status).toBe('open');
    const classified = await as(app, center).put(`/api/v1/incidents/${green}/classification`, {
      event: 'confidentiality.leak',
      causes: ['intentional.info_theft'],
      attack_type: 'malware_other',
    });
    expect(classified.statusCode, classified.body).toBe(200);
    const final = await as(app, reporter).post(`/api/v1/incidents/${green}/reports`, stage('final', 3));
    expect(final.statusCode, final.body).toBe(201);
    const third = await bundleFor(center, green);
    expect(stixProblems(third)).toEqual([]);
    expect(core(third)).toMatchObject({
      determination: 'successful-attempt',
      investigation_status: 'closed',
      incident_types: ['unauthorized-release', 'infected-by-known-malware'],
    });
    expect(one(third, 'impact').extensions).toMatchObject({
      confidentiality: { loss_type: 'confirmed-loss' },
    });
  });

  it('kyoyu stix export: a fiscal year in one bundle, anonymised on request, the same ids each time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-stix-'));
    const run = async (file: string, ...flags: string[]) => {
      const res = await cli(ctx.url, 'stix', 'export', '--fy', '2024', ...flags, '--out', join(dir, file));
      expect(res.code, res.err).toBe(0);
      return { out: res.out, bundle: JSON.parse(readFileSync(join(dir, file), 'utf8')) as StixBundle };
    };
    const plain = await run('plain.json');
    expect(plain.out).toMatch(/: 3 incidents, \d+ objects/);
    expect(stixProblems(plain.bundle)).toEqual([]);
    expect(plain.bundle.objects.map((o) => o.object_marking_refs).flat()).toContain(
      'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    );
    const anonymised = await run('anon.json', '--anonymise');
    expect(anonymised.out).toContain('(anonymised)');
    expect(stixProblems(anonymised.bundle)).toEqual([]);
    const text = JSON.stringify(anonymised.bundle);
    for (const [what, value] of Object.entries(PLANTED)) expect(text, what).not.toContain(value);
    expect((await run('again.json', '--anonymise')).bundle).toEqual(anonymised.bundle);
    expect(
      (await cli(ctx.url, 'stix', 'export', '--fy', 'soon', '--out', join(dir, 'x.json'))).err,
    ).toContain('validation_failed');
  });
});
