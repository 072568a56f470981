import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { AuditEntry, ChainHead } from '../../../src/modules/audit/audit.chain.js';
import { entryHash } from '../../../src/modules/audit/audit.chain.js';
import type { TestUser } from '../../support/api.js';
import { as, makeUser, testApp } from '../../support/api.js';
import { cliWithEnv } from '../../support/cli.js';
import type { TestContext } from '../../support/databases.js';
import { describeEachDialect, testServices } from '../../support/databases.js';

const SAMPLE = new URL('../../fixtures/sample-reports.jsonl', import.meta.url).pathname;

const report = (ref: string) => ({
  ref,
  channel: 'operator_report',
  received_at: '2023-11-01T09:00:00+09:00',
  organization: 'Checkpoint Water',
  sector: 'water',
  title: '監視端末の不審な通信',
  description: '調査中',
  stage: 'initial',
  event: 'other',
  causes: ['other.unknown'],
  attack_type: null,
});

describeEachDialect('signed audit checkpoints on %s', (dialect) => {
  // The chains each deployment writes: 16 on PostgreSQL (concurrent writers), one on SQLite.
  const chains = dialect === 'postgres' ? 16 : 1;
  let ctx: TestContext;
  let app: FastifyInstance;
  let op: TestUser;
  let dir: string;
  let keyFile: string;
  let checkpointFile: string;
  let saved: { entries: AuditEntry[]; heads: ChainHead[] };
  const db = () => ctx.services.database.db;
  const kyoyu = (env: NodeJS.ProcessEnv, ...args: string[]) =>
    cliWithEnv(ctx.url, { KYOYU_AUDIT_SIGNING_KEY_FILE: keyFile, ...env }, '', ...args);
  const verify = (...args: string[]) => kyoyu({}, 'audit', 'verify', ...args);
  const verifyCheckpoint = () => verify('--checkpoint', checkpointFile);
  const lines = (out: string) => out.split('\n').filter((l) => l.startsWith('chain='));
  const entries = () => db().selectFrom('audit_log').selectAll().orderBy('chain').orderBy('seq').execute();
  const heads = () => db().selectFrom('audit_heads').selectAll().orderBy('chain').execute();

  /** Rewrites a chain from `fromSeq` on as a careful forger would: every later hash and the head recomputed. */
  async function rechain(chain: number, fromSeq: number, change: (e: AuditEntry) => AuditEntry) {
    const rows = (await entries()).filter((e) => e.chain === chain);
    let prev = rows.find((e) => e.seq === fromSeq - 1)?.hash ?? '0'.repeat(64);
    for (const row of rows.filter((e) => e.seq >= fromSeq)) {
      const changed = row.seq === fromSeq ? change(row) : row;
      const hash = entryHash(prev, changed, changed);
      await db().deleteFrom('audit_log').where('id', '=', row.id).execute();
      await db()
        .insertInto('audit_log')
        .values({ ...changed, prev_hash: prev, hash })
        .execute();
      prev = hash;
    }
    await db().updateTable('audit_heads').set({ hash: prev }).where('chain', '=', chain).execute();
  }

  /** The chain with the most entries, and its second entry (one the checkpoint covers, with a successor). */
  async function target() {
    const all = await entries();
    const counts = new Map<number, number>();
    for (const e of all) counts.set(e.chain, (counts.get(e.chain) ?? 0) + 1);
    const chain = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const rows = all.filter((e) => e.chain === chain);
    return { chain, rows, middle: rows[1]! };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kyoyu-checkpoint-'));
    keyFile = join(dir, 'keys', 'audit-signing.key');
    checkpointFile = join(dir, 'checkpoint.json');
    ctx = await testServices(dialect);
    app = await testApp(ctx.services);
    op = await makeUser(ctx.services, 'operator', 'Checkpoint Water');
    for (let i = 0; i < 6; i++)
      expect((await as(app, op).post('/api/v1/incidents', report(`CP-${i}`))).statusCode).toBe(201);
    const first = await db().selectFrom('incidents').select('id').orderBy('id').executeTakeFirstOrThrow();
    // Reads, so that every PostgreSQL chain has entries with neighbours.
    for (let i = 0; i < 60; i++) await as(app, op).get(`/api/v1/incidents/${first.id}`);
    expect((await kyoyu({}, 'import', SAMPLE)).code).toBe(0);
  });
  afterEach(async () => {
    if (!saved) return;
    // Back to the trail as checkpointed (plus what the test itself appended before tampering).
    await db().deleteFrom('audit_log').execute();
    await db().deleteFrom('audit_heads').execute();
    for (const e of saved.entries) await db().insertInto('audit_log').values(e).execute();
    for (const h of saved.heads) await db().insertInto('audit_heads').values(h).execute();
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the chain heads signed with a key file it creates (0600), to a file or stdout', async () => {
    const written = await kyoyu({}, 'audit', 'checkpoint', '--out', checkpointFile);
    expect(written).toMatchObject({ code: 0, out: '' });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyFile, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const cp = JSON.parse(readFileSync(checkpointFile, 'utf8')) as {
      chain_count: number;
      chains: Array<{ chain: number; seq: number; last_id: number | null; hash: string; entries: number }>;
      public_key: string;
      signature: string;
      created_at: string;
    };
    expect(cp.chain_count).toBe(chains);
    expect(cp.chains.map((c) => c.chain)).toEqual([...Array(chains).keys()]);
    const hs = await heads();
    const all = await entries();
    for (const c of cp.chains) {
      const head = hs.find((h) => h.chain === c.chain)!;
      const last = all.find((e) => e.chain === c.chain && e.seq === head.seq);
      expect(c).toEqual({
        chain: c.chain,
        seq: head.seq,
        last_id: last?.id ?? null,
        hash: head.hash,
        entries: head.seq,
      });
    }
    expect(Date.parse(cp.created_at)).toBeGreaterThan(Date.now() - 60_000);
    const stdout = await kyoyu({}, 'audit', 'checkpoint');
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.out)).toMatchObject({ public_key: cp.public_key, chains: cp.chains });
    saved = { entries: await entries(), heads: await heads() };
  });

  it('passes the untouched trail, and one that grew after the checkpoint', async () => {
    const ok = await verifyCheckpoint();
    expect(ok).toMatchObject({ code: 0, err: '' });
    expect(ok.out).toMatch(/^ok: \d+ entr(?:y|ies) in \d+ chains?; the checkpoint of \S+ holds\n$/);
    for (let i = 0; i < 20; i++) await as(app, op).get('/api/v1/incidents?limit=1');
    expect((await as(app, op).post('/api/v1/incidents', report('CP-later'))).statusCode).toBe(201);
    expect(await verifyCheckpoint()).toMatchObject({ code: 0 });
    saved = { entries: await entries(), heads: await heads() };
  });

  it('detects an edited entry and a deleted entry', async () => {
    const { middle } = await target();
    await db().updateTable('audit_log').set({ ip: '198.51.100.7' }).where('id', '=', middle.id).execute();
    const edited = await verifyCheckpoint();
    expect(edited.code).toBe(1);
    expect(lines(edited.out)).toContain(
      `chain=${middle.chain} seq=${middle.seq} id=${middle.id} kind=edited: content does not match its hash`,
    );
    await db().updateTable('audit_log').set({ ip: middle.ip }).where('id', '=', middle.id).execute();
    await db().deleteFrom('audit_log').where('id', '=', middle.id).execute();
    const deleted = await verifyCheckpoint();
    expect(deleted.code).toBe(1);
    expect(lines(deleted.out)).toContainEqual(
      expect.stringMatching(new RegExp(`^chain=${middle.chain} seq=${middle.seq} id=- kind=deleted`)),
    );
  });

  it('detects a deleted chain (its entries and its head), with and without the checkpoint', async () => {
    const { chain } = await target();
    await db().deleteFrom('audit_log').where('chain', '=', chain).execute();
    await db().deleteFrom('audit_heads').where('chain', '=', chain).execute();
    const plain = await verify();
    expect(plain.code).toBe(1);
    // SQLite has one chain: deleting it empties the trail, which the incidents betray.
    expect(plain.out).toMatch(dialect === 'postgres' ? / kind=missing_chain: / : / kind=missing_creation: /);
    const checked = await verifyCheckpoint();
    expect(checked.code).toBe(1);
    expect(lines(checked.out)).toContainEqual(
      expect.stringMatching(new RegExp(`^chain=${chain} seq=- id=- kind=checkpoint: chain ${chain} is gone`)),
    );
  });

  it('detects both tables emptied', async () => {
    await db().deleteFrom('audit_log').execute();
    await db().deleteFrom('audit_heads').execute();
    const plain = await verify();
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/kind=missing_creation: incident \d+ has no entry recording its creation/);
    const checked = await verifyCheckpoint();
    expect(checked.code).toBe(1);
    expect(lines(checked.out).filter((l) => / kind=checkpoint: chain \d+ is gone/.test(l))).toHaveLength(
      chains,
    );
  });

  it('detects a forged chain with a rewritten head, re-hashed consistently from one entry on', async () => {
    const { chain, middle } = await target();
    await rechain(chain, middle.seq, (e) => ({ ...e, actor: 'someone-else@example', ip: '192.0.2.1' }));
    expect(await verify()).toMatchObject({ code: 0 }); // consistent: only the checkpoint knows better
    const checked = await verifyCheckpoint();
    expect(checked.code).toBe(1);
    expect(lines(checked.out)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^chain=${chain} seq=\\d+ id=\\d+ kind=checkpoint: the entry at seq \\d+ is not the checkpointed one`,
        ),
      ),
    ]);
  });

  it('detects a swapped id: the id is hashed, and a re-hashed swap breaks the checkpoint', async () => {
    const { rows } = await target();
    const [a, b] = [rows[1]!, rows[2]!];
    const swap = async () => {
      await db().updateTable('audit_log').set({ id: -1 }).where('id', '=', a.id).execute();
      await db().updateTable('audit_log').set({ id: a.id }).where('id', '=', b.id).execute();
      await db().updateTable('audit_log').set({ id: b.id }).where('id', '=', -1).execute();
    };
    await swap();
    const plain = await verify();
    expect(plain.code).toBe(1);
    expect(lines(plain.out)).toEqual([
      `chain=${a.chain} seq=${a.seq} id=${b.id} kind=edited: content does not match its hash`,
      `chain=${b.chain} seq=${b.seq} id=${a.id} kind=edited: content does not match its hash`,
    ]);
    // Swapped and re-hashed from there on, head included: only the checkpoint sees it.
    await rechain(a.chain, a.seq, (e) => e);
    expect(await verify()).toMatchObject({ code: 0 });
    expect(lines((await verifyCheckpoint()).out)).toEqual([
      expect.stringMatching(new RegExp(`^chain=${a.chain} seq=\\d+ id=\\d+ kind=checkpoint: `)),
    ]);
  });

  it('refuses a checkpoint signed by another key, or altered after signing', async () => {
    const other = join(dir, 'other.key');
    const foreign = join(dir, 'foreign.json');
    expect(
      (await kyoyu({ KYOYU_AUDIT_SIGNING_KEY_FILE: other }, 'audit', 'checkpoint', '--out', foreign)).code,
    ).toBe(0);
    const refused = await verify('--checkpoint', foreign);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/signed with another key than the configured signing key/);
    const cp = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { chains: Array<{ hash: string }> };
    cp.chains[0]!.hash = 'f'.repeat(64);
    const altered = join(dir, 'altered.json');
    writeFileSync(altered, JSON.stringify(cp));
    const bad = await verify('--checkpoint', altered);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/signature does not verify/);
    expect((await verify('--checkpoint', join(dir, 'missing.json'))).err).toMatch(/file_not_found/);
    writeFileSync(join(dir, 'not.json'), '{"format": "something else"}');
    expect((await verify('--checkpoint', join(dir, 'not.json'))).err).toMatch(
      /is not a kyoyu audit checkpoint/,
    );
    // Verifying never creates a key: without one there is nothing to check the signature against.
    const none = await kyoyu(
      { KYOYU_AUDIT_SIGNING_KEY_FILE: join(dir, 'none.key') },
      'audit',
      'verify',
      '--checkpoint',
      checkpointFile,
    );
    expect(none.err).toMatch(/no audit signing key at/);
  });

  it('does not checkpoint a trail that is already broken', async () => {
    const { middle } = await target();
    await db().updateTable('audit_log').set({ actor: 'x@example' }).where('id', '=', middle.id).execute();
    const refused = await kyoyu({}, 'audit', 'checkpoint');
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toMatch(/audit trail NOT intact: 1 problem; no checkpoint written/);
  });
});
