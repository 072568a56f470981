import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importObjects } from '../../../src/modules/stix/index.js';
import { inTransaction } from '../../../src/platform/db/transaction.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { wholeState } from '../../support/state.js';

const T = '2024-06-01T00:00:00.000Z';
const sdo = (type: string, uuid: string, extra: object) => ({
  type,
  spec_version: '2.1',
  id: `${type}--${uuid}`,
  created: T,
  modified: T,
  ...extra,
});
/** What a partner's feed sends: indicators, a vulnerability, a report, an observable, a marking. */
const VALID = [
  sdo('indicator', '6f1a3d9e-2b4c-4e8f-9a01-1c2d3e4f5a60', {
    pattern: "[ipv4-addr:value = '198.51.100.23'] OR [domain-name:value = 'c2.bad.example']",
    pattern_type: 'stix',
    valid_from: T,
  }),
  sdo('vulnerability', '0b8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b', {
    name: 'CVE-2024-21762',
    external_references: [{ source_name: 'cve', external_id: 'CVE-2024-21762' }],
  }),
  sdo('report', '4a3b2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d', {
    name: 'Partner ISAC weekly',
    published: T,
    object_refs: ['indicator--6f1a3d9e-2b4c-4e8f-9a01-1c2d3e4f5a60'],
    object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
  }),
  sdo('malware', '9d8c7b6a-5f4e-4d3c-8b2a-190f8e7d6c5b', {
    name: 'LockBit',
    is_family: true,
    x_custom: 'kept',
  }),
  {
    type: 'ipv4-addr',
    spec_version: '2.1',
    id: 'ipv4-addr--ff2c5a4e-6b1d-5c3e-8f9a-0b1c2d3e4f50',
    value: '198.51.100.23',
  },
  {
    type: 'marking-definition',
    spec_version: '2.1',
    id: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
    created: '2022-10-01T00:00:00.000Z',
    name: 'TLP:AMBER',
    extensions: {
      'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
        extension_type: 'property-extension',
        tlp_2_0: 'amber',
      },
    },
  },
];
/** Each breaks one rule; the reason must name it. */
const INVALID: Array<[unknown, RegExp]> = [
  [
    sdo('indicator', '1e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', {
      pattern: "[ipv4-addr:value = '1.2.3.4'",
      pattern_type: 'stix',
      valid_from: T,
    }),
    /^pattern: /,
  ],
  [
    { ...sdo('indicator', '2e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', { pattern_type: 'stix', valid_from: T }) },
    /^pattern: required/,
  ],
  [
    {
      ...sdo('vulnerability', '3e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', { name: 'CVE-1' }),
      id: 'vulnerability--not-a-uuid',
    },
    /^id: /,
  ],
  [
    {
      ...sdo('vulnerability', '4e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', { name: 'CVE-2' }),
      modified: '2020-01-01T00:00:00.000Z',
    },
    /^modified: before created/,
  ],
  [
    {
      ...sdo('vulnerability', '5e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', { name: 'CVE-3' }),
      spec_version: '2.0',
    },
    /^spec_version/,
  ],
  [
    {
      ...sdo('vulnerability', '6e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', { name: 'CVE-4' }),
      created: '2024-06-01 00:00',
    },
    /^created: /,
  ],
  [
    sdo('report', '7e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', { name: 'empty', published: T, object_refs: [] }),
    /^object_refs: empty/,
  ],
  [
    sdo('relationship', '8e2d3c4b-5a69-4788-9a6b-5c4d3e2f1a0b', {
      relationship_type: 'x',
      source_ref: 'nonsense',
      target_ref: 'nonsense',
    }),
    /^source_ref: /,
  ],
  [42, /^not a JSON object/],
];
const bundle = (objects: unknown[], n = 1) => ({
  type: 'bundle',
  id: `bundle--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  objects,
});

interface Item {
  id: number;
  stix_id: string;
  source: string;
  triage_state: string;
  decided_by: number | null;
  object: Record<string, unknown>;
}

describeEachDialect('STIX 2.1 import as incoming intelligence on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let center: TestUser;
  let operator: TestUser;
  const intel = async (query: string) =>
    (await as(app, center).get(`/api/v1/intel${query}`)).json<{ items: Item[]; next_after: number | null }>();

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    center = await makeUser(ctx.services, 'center_analyst', 'Center');
    operator = await makeUser(ctx.services, 'operator', 'Some Power');
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  it('keeps every valid object as it came and refuses each invalid one with its reason', async () => {
    const mixed = [...VALID.slice(0, 3), ...INVALID.map(([o]) => o), ...VALID.slice(3)];
    const res = await as(app, center).post('/api/v1/intel/bundles', bundle(mixed));
    expect(res.statusCode, res.body).toBe(200);
    const result = res.json<{
      received: number;
      new: number;
      refused: Array<{ id: string; reason: string }>;
    }>();
    expect([result.received, result.new]).toEqual([VALID.length + INVALID.length, VALID.length]);
    expect(result.refused).toHaveLength(INVALID.length);
    INVALID.forEach(([o, reason], n) => {
      const expectedId = typeof o === 'object' ? (o as { id: string }).id : `objects[${3 + n}]`;
      expect(result.refused[n]!.id).toBe(expectedId);
      expect(result.refused[n]!.reason).toMatch(reason);
    });
    const page = await intel('?state=new&limit=200');
    expect(page.items.map((i) => i.object)).toEqual(VALID);
    expect(new Set(page.items.map((i) => i.source))).toEqual(new Set(['api']));
  });

  it('the same versions again are not new; a later version of one is', async () => {
    const again = await as(app, center).post('/api/v1/intel/bundles', bundle(VALID, 2));
    expect(again.json<{ new: number; refused: unknown[] }>()).toMatchObject({ new: 0, refused: [] });
    const revised = { ...VALID[1]!, modified: '2024-06-02T00:00:00.000Z', description: 'exploited' };
    const next = await as(app, center).post('/api/v1/intel/bundles', bundle([revised, ...VALID], 3));
    expect(next.json<{ received: number; new: number }>()).toEqual({ received: 7, new: 1, refused: [] });
    const versions = (await intel('?type=vulnerability')).items.map((i) => i.object.modified);
    expect(versions).toEqual([T, '2024-06-02T00:00:00.000Z']);
  });

  it('the center triages; anyone else is refused and changes nothing', async () => {
    const [first] = (await intel('?type=indicator')).items;
    const decided = await as(app, center).put(`/api/v1/intel/${first!.id}`, { triage_state: 'accepted' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json<Item>()).toMatchObject({ triage_state: 'accepted', stix_id: first!.stix_id });
    expect((await intel('?state=new&type=indicator')).items).toEqual([]);
    expect((await intel('?state=accepted')).items.map((i) => i.stix_id)).toEqual([first!.stix_id]);
    expect((await intel('?state=accepted')).items[0]!.decided_by).toEqual(expect.any(Number));
    const before = await wholeState(ctx.services);
    expect((await as(app, operator).post('/api/v1/intel/bundles', bundle(VALID, 4))).statusCode).toBe(403);
    expect(
      (await as(app, operator).put(`/api/v1/intel/${first!.id}`, { triage_state: 'dismissed' })).statusCode,
    ).toBe(403);
    expect((await as(app, operator).get('/api/v1/intel')).statusCode).toBe(403);
    expect(await wholeState(ctx.services)).toEqual(before);
    expect(
      (await as(app, center).put('/api/v1/intel/999999', { triage_state: 'dismissed' })).statusCode,
    ).toBe(404);
  });

  it('pages through in the order objects arrived', async () => {
    const firstPage = await intel('?limit=3');
    expect(firstPage.items).toHaveLength(3);
    const rest = await intel(`?limit=200&after=${firstPage.next_after}`);
    expect(rest.next_after).toBeNull();
    const all = [...firstPage.items, ...rest.items].map((i) => i.id);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(all).toHaveLength(VALID.length + 1);
  });

  it('importObjects in a caller’s transaction (the TAXII side) and kyoyu stix import FILE', async () => {
    const indicator = sdo('indicator', 'aa1a3d9e-2b4c-4e8f-9a01-1c2d3e4f5a60', {
      pattern: "[url:value = 'https://bad.example/x']",
      pattern_type: 'stix',
      valid_from: T,
    });
    const source = 'taxii:https://isac.example/taxii2/api1/#collection-1';
    const result = await inTransaction(ctx.services.database, (trx) =>
      importObjects(trx, [indicator, INVALID[0]![0]], source),
    );
    expect(result).toMatchObject({
      received: 2,
      new: 1,
      refused: [{ id: (INVALID[0]![0] as { id: string }).id }],
    });
    expect((await intel('?limit=200')).items.at(-1)).toMatchObject({ source, stix_id: indicator.id });
    // Odd but valid: a custom type named like an Object method, an observable with a stray property.
    const odd = [
      sdo('constructor', 'cc1a3d9e-2b4c-4e8f-9a01-1c2d3e4f5a60', {}),
      {
        type: 'url',
        spec_version: '2.1',
        id: 'url--dd1a3d9e-2b4c-5e8f-9a01-1c2d3e4f5a60',
        value: 'x',
        created: 5,
      },
    ];
    const oddRes = await as(app, center).post('/api/v1/intel/bundles', bundle(odd, 8));
    expect(oddRes.json<{ new: number }>().new, oddRes.body).toBe(2);
    expect((await intel('?limit=200')).items.slice(-2).map((i) => i.object)).toEqual(odd);

    const dir = mkdtempSync(join(tmpdir(), 'kyoyu-stix-import-'));
    const file = join(dir, 'partner.json');
    const more = sdo('vulnerability', 'bb8e7c6d-5a4f-4e3d-8c2b-1a0f9e8d7c6b', { name: 'CVE-2024-3400' });
    writeFileSync(file, JSON.stringify(bundle([...VALID, more, INVALID[2]![0]], 9)));
    const run = await cli(ctx.url, 'stix', 'import', file);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toBe(`imported ${file}: 8 objects received, 1 new, 1 refused\n`);
    expect(run.err).toContain('refused vulnerability--not-a-uuid: id: ');
    expect((await intel('?limit=200')).items.at(-1)).toMatchObject({
      source: 'file:partner.json',
      stix_id: more.id,
    });
    expect((await cli(ctx.url, 'stix', 'import', file)).out).toContain(' 0 new,');
    writeFileSync(file, '{"type":"bundle"');
    expect((await cli(ctx.url, 'stix', 'import', file)).err).toContain('malformed_json');
    writeFileSync(file, '{"type":"collection"}');
    expect((await cli(ctx.url, 'stix', 'import', file)).err).toContain('validation_failed');
  });
});
