import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ImportFailed } from '../../../src/modules/import/import.service.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cli } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';
import { report, share, stage } from '../../support/samples.js';
import { stateSnapshot, tableNames } from '../../support/state.js';

/** Characters no text field takes, with the code and code point each is refused with. */
type Case = readonly [name: string, char: string, code: string, codePoint: string];
const FORBIDDEN: readonly Case[] = [
  ['lone high surrogate', '\uD800', 'forbidden_character', 'U+D800'],
  ['lone low surrogate', '\uDC00', 'forbidden_character', 'U+DC00'],
  ...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c].map(
    (cp): Case => ['bidi control', String.fromCharCode(cp), 'forbidden_character', label(cp)],
  ),
  ...[0x200b, 0x200c, 0x200d, 0x2060, 0xfeff].map((cp): Case => [
    'zero width',
    String.fromCharCode(cp),
    'forbidden_character',
    label(cp),
  ]),
  ['C1 control (NEL)', '\u0085', 'control_character', 'U+0085'],
  ['DEL', '\u007F', 'control_character', 'U+007F'],
  ['vertical tab', '\u000B', 'control_character', 'U+000B'],
];

function label(cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

interface Detail {
  field: string;
  code: string;
  message: string;
  position?: number;
  code_point?: string;
}
interface ErrorBody {
  error: { code: string; details?: Detail[] };
}

describeEachDialect('characters a text field refuses, on %s', (dialect) => {
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser;
  let desk: TestUser;
  let center: TestUser;
  let admin: TestUser;
  let tables: string[];
  let incidentId: number;
  const dir = mkdtempSync(join(tmpdir(), 'kyoyu-text-'));

  beforeAll(async () => {
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Text Power');
    desk = await makeUser(ctx.services, 'sector_desk', 'Text Ministry', ['electricity']);
    center = await makeUser(ctx.services, 'center_analyst', 'Text Center');
    admin = await makeUser(ctx.services, 'admin', 'Text Admin');
    const created = await as(app, op).post('/api/v1/incidents', report('the target', 'Text Power'));
    expect(created.statusCode, created.body).toBe(201);
    incidentId = created.json<{ id: number }>().id;
    tables = await tableNames(ctx.services);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
  });

  /** The request is refused with the field's code, position and code point, and the database is as before. */
  async function refused(
    user: TestUser | null,
    url: string,
    body: unknown,
    field: string,
    expected: { code: string; position: number; codePoint: string },
  ): Promise<void> {
    const before = await stateSnapshot(ctx.services, tables);
    const res = await as(app, user).post(url, body);
    const what = `${url} ${field} ${expected.codePoint}`;
    expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
    const error = res.json<ErrorBody>().error;
    expect(error.code, what).toBe('validation_failed');
    expect(error.details, what).toContainEqual(
      expect.objectContaining({
        field,
        code: expected.code,
        position: expected.position,
        code_point: expected.codePoint,
      }),
    );
    expect(error.details!.find((d) => d.field === field)!.message, what).toContain(expected.codePoint);
    expect(await stateSnapshot(ctx.services, tables), what).toEqual(before);
  }

  it('a report title: every forbidden character, with its position and code point', async () => {
    for (const [name, char, code, codePoint] of FORBIDDEN) {
      // 'ガス' then the character: position 3, counted in characters (a pair would count once).
      await refused(op, '/api/v1/incidents', report(`ガス${char}停止`, 'Text Power'), 'body.title', {
        code,
        position: 3,
        codePoint,
      }).catch((error: Error) => {
        throw new Error(`${name}: ${error.message}`);
      });
    }
    // Positions count characters, not UTF-16 units: an emoji before the character is one.
    await refused(op, '/api/v1/incidents', report('🔥\u202Eevil', 'Text Power'), 'body.title', {
      code: 'forbidden_character',
      position: 2,
      codePoint: 'U+202E',
    });
  });

  it('descriptions keep tab and line breaks, and refuse the rest; pairs (emoji, 𠮷) are characters', async () => {
    const ok = await as(app, op).post('/api/v1/incidents', {
      ...report('𠮷野家の🔥障害', 'Text Power'),
      description: 'one\ttwo\r\nthree\nfour',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json<{ title: string }>().title).toBe('𠮷野家の🔥障害');
    await refused(
      op,
      '/api/v1/incidents',
      { ...report('bidi in text', 'Text Power'), description: 'line\n\u2067hidden' },
      'body.description',
      { code: 'forbidden_character', position: 6, codePoint: 'U+2067' },
    );
    await refused(
      op,
      '/api/v1/incidents',
      { ...report('nul in text', 'Text Power'), description: 'a\u0000' },
      'body.description',
      { code: 'control_character', position: 2, codePoint: 'U+0000' },
    );
  });

  it('the organisation of a report, stage reports, agency shares and center provisions', async () => {
    await refused(
      center,
      '/api/v1/incidents',
      report('center reports', '\u200BText Power'),
      'body.organization',
      { code: 'forbidden_character', position: 1, codePoint: 'U+200B' },
    );
    await refused(
      op,
      `/api/v1/incidents/${incidentId}/reports`,
      { ...stage('an update'), title: 'new\uFEFF title' },
      'body.title',
      { code: 'forbidden_character', position: 4, codePoint: 'U+FEFF' },
    );
    await refused(op, `/api/v1/incidents/${incidentId}/reports`, stage('update \uDBFF'), 'body.description', {
      code: 'forbidden_character',
      position: 8,
      codePoint: 'U+DBFF',
    });
    await refused(desk, '/api/v1/agency-shares', share('share\u202D'), 'body.title', {
      code: 'forbidden_character',
      position: 6,
      codePoint: 'U+202D',
    });
    await refused(
      center,
      '/api/v1/center-provisions',
      { ...share('provision'), body: 'text\u2060' },
      'body.body',
      { code: 'forbidden_character', position: 5, codePoint: 'U+2060' },
    );
  });

  it('user emails, organisation names and token labels (admin API, sign-in)', async () => {
    await refused(
      admin,
      '/api/v1/admin/users',
      { email: 'ev\u200Dil@test.example', organization: 'Org', role: 'operator' },
      'body.email',
      { code: 'forbidden_character', position: 3, codePoint: 'U+200D' },
    );
    await refused(
      admin,
      '/api/v1/admin/users',
      { email: 'new@test.example', organization: 'Org\u202E', role: 'operator' },
      'body.organization',
      { code: 'forbidden_character', position: 4, codePoint: 'U+202E' },
    );
    // Each user issues its own tokens; the label is checked before anything else is.
    await refused(op, '/api/v1/me/tokens', { label: 'ci\u200F', expires_in_days: 30 }, 'body.label', {
      code: 'forbidden_character',
      position: 3,
      codePoint: 'U+200F',
    });
    await refused(
      null,
      '/api/v1/auth/login',
      { email: `\u2066${op.email}`, password: 'whatever password' },
      'body.email',
      { code: 'forbidden_character', position: 1, codePoint: 'U+2066' },
    );
  });

  it('kyoyu import refuses the file, names line, field and code, and imports nothing', async () => {
    const line = (ref: string, title: string) => JSON.stringify({ ...report(title, 'Import Power'), ref });
    const path = join(dir, 'chars.jsonl');
    // JSON.stringify writes a lone surrogate as the escape \ud800, as a file may hold it.
    writeFileSync(
      path,
      [line('CH-1', 'fine'), line('CH-2', 'half \uD800'), line('CH-3', 'rlo\u202E')].join('\n'),
    );
    const before = await stateSnapshot(ctx.services, tables);
    const error = await ctx.services.imports.importFile(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ImportFailed);
    expect((error as ImportFailed).errors.map((e) => [e.line, e.field, e.code])).toEqual([
      [2, 'title', 'forbidden_character'],
      [3, 'title', 'forbidden_character'],
    ]);
    expect((error as ImportFailed).errors[0]!.message).toContain('U+D800');
    expect(await stateSnapshot(ctx.services, tables)).toEqual(before);

    // The same through the command, and a CSV file holding the character itself.
    const csv = join(dir, 'chars.csv');
    writeFileSync(
      csv,
      'ref,channel,received_at,organization,sector,title,description,stage,event,causes,attack_type\r\n' +
        'CH-4,operator_report,2023-11-02T09:00:00+09:00,Import Power,electricity,zero\u200Bwidth,d,initial,' +
        'leading.intrusion,intentional.id_spoofing,other\r\n',
    );
    const run = await cli(ctx.url, 'import', csv);
    expect(run.code, run.err).toBe(1);
    expect(run.err).toContain('line 2: title: forbidden_character: character 5 (U+200B)');
    expect(await stateSnapshot(ctx.services, tables)).toEqual(before);
  });

  it('kyoyu admin create-user refuses the same characters and creates nothing', async () => {
    const before = await stateSnapshot(ctx.services, tables);
    const run = await cli(
      ctx.url,
      'admin',
      'create-user',
      '--email',
      'cli\u202E@test.example',
      '--org',
      'CLI Org',
      '--role',
      'operator',
    );
    expect(run.code).toBe(1);
    expect(run.err).toContain('email: forbidden_character: character 4 (U+202E)');
    const org = await cli(
      ctx.url,
      'admin',
      'create-user',
      '--email',
      'cli@test.example',
      '--org',
      'CLI\u0085',
      '--role',
      'operator',
    );
    expect(org.code).toBe(1);
    expect(org.err).toContain('organization: control_character');
    expect(await stateSnapshot(ctx.services, tables)).toEqual(before);
  });
});
