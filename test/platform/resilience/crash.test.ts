import { performance } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import type { ServerProcess } from '../../../bench/server.js';
import { startServer } from '../../../bench/server.js';
import { openServices } from '../../../src/bootstrap.js';
import { splitCodes } from '../../../src/modules/incidents/fingerprint.js';
import { makeUser } from '../../support/api.js';
import { rollupMismatches } from '../../support/consistency.js';
import { describeEachDialect, freshDatabase, testConfig } from '../../support/databases.js';

/**
 * Durability under crashes: a `kyoyu serve` child process takes POSTs from 16 keep-alive clients
 * and is killed with SIGKILL mid-load, restarted, killed again... Every report answered 2xx must be
 * stored exactly once and whole (incident, stage report, causes, statistics); a report whose answer
 * was lost in a crash may be stored or not, but never in part.
 */
const CLIENTS = 16;
const RESTARTS = 3; // kills followed by a restart; one more kill ends the run
// A kill comes once the (re)started server has acknowledged this many reports and at least this
// long after it answered: the kill hits a server under load even on a slow, busy machine.
const ACKS_BEFORE_KILL = 100;
const MIN_LOAD_MS = 1_000;
const MAX_WAIT_MS = 30_000;

interface Figures {
  acknowledged: Set<string>;
  /** Refs whose last attempt got no answer (the server died under it): stored or not, never partly. */
  unanswered: Set<string>;
  statuses: Record<string, number>;
  unexpected: string[];
}

const reportFor = (ref: string, seq: number) => ({
  ref,
  channel: 'operator_report',
  received_at: `2024-${String(4 + (seq % 9)).padStart(2, '0')}-15T10:00:00+09:00`,
  sector: 'electricity',
  title: `crash test report ${ref}`,
  description: 'written while the server is being killed',
  stage: 'initial',
  event: seq % 2 ? 'availability.disruption' : 'confidentiality.leak',
  causes: seq % 2 ? ['intentional.ddos'] : ['intentional.info_theft', 'accidental.vulnerability'],
  attack_type: seq % 2 ? 'ddos' : 'other',
});

/**
 * One client: POSTs a new ref as soon as the previous one is acknowledged; after a lost answer or a
 * 503 it sends the same report again (as a real client would: a retry is stored once).
 */
async function client(c: number, server: () => string, token: string, until: () => boolean, f: Figures) {
  for (let seq = 0; !until(); seq++) {
    const ref = `CRASH-${c}-${seq}`;
    const body = JSON.stringify(reportFor(ref, seq));
    for (;;) {
      if (until()) return;
      let status: string;
      try {
        const res = await fetch(`${server()}/api/v1/incidents`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        status = String(res.status);
        const text = await res.text();
        if (res.ok) {
          f.acknowledged.add(ref);
          f.unanswered.delete(ref);
        } else if (res.status !== 503 && f.unexpected.length < 5) f.unexpected.push(`${status}: ${text}`);
      } catch {
        status = 'no answer';
        f.unanswered.add(ref);
      }
      f.statuses[status] = (f.statuses[status] ?? 0) + 1;
      if (f.acknowledged.has(ref)) break;
      if (status !== 'no answer' && status !== '503') return; // a 4xx/5xx is a failure, reported below
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describeEachDialect('crash: SIGKILL of kyoyu serve under load on %s', (dialect) => {
  it(`every acknowledged report is stored once and whole after ${RESTARTS + 1} SIGKILLs`, async () => {
    const started = performance.now();
    const database = await freshDatabase(dialect);
    let server: ServerProcess | undefined;
    try {
      const setup = await openServices(testConfig(database.url));
      const user = await makeUser(setup, 'operator', 'Crash Test Power');
      const org = await setup.database.db
        .selectFrom('organizations')
        .select('id')
        .where('name', '=', user.organization)
        .executeTakeFirstOrThrow();
      await setup.database.close();

      server = await startServer(database.url);
      let url = server.url;
      let stopping = false;
      const f: Figures = { acknowledged: new Set(), unanswered: new Set(), statuses: {}, unexpected: [] };
      const clients = Array.from({ length: CLIENTS }, (_, c) =>
        client(
          c,
          () => url,
          user.token,
          () => stopping,
          f,
        ),
      );
      let kills = 0;
      const killedAt: number[] = []; // acknowledgements so far at each kill
      for (let i = 0; i <= RESTARTS; i++) {
        const from = f.acknowledged.size;
        const since = performance.now();
        while (
          performance.now() - since < MIN_LOAD_MS ||
          (f.acknowledged.size < from + ACKS_BEFORE_KILL && performance.now() - since < MAX_WAIT_MS)
        )
          await new Promise((r) => setTimeout(r, 20));
        // Each kill must hit a server under load: acknowledgements since the (re)start.
        expect(f.acknowledged.size).toBeGreaterThan(from);
        process.kill(server.pid, 'SIGKILL');
        killedAt.push(f.acknowledged.size);
        await server.stop(); // waits for the exit
        kills++;
        if (i < RESTARTS) {
          server = await startServer(database.url);
          url = server.url;
        }
      }
      stopping = true;
      await Promise.all(clients);
      server = undefined;

      const check = await openServices(testConfig(database.url));
      try {
        const db = check.database.db;
        const rows = await db
          .selectFrom('incidents')
          .select(['id', 'ref', 'title', 'description', 'month', 'event', 'causes', 'first_received_at'])
          .where('source', '=', `org:${org.id}`)
          .execute();
        const refs = rows.map((r) => r.ref);
        const found = new Set(refs);
        const missing = [...f.acknowledged].filter((r) => !found.has(r));
        const unexplained = refs.filter((r) => !f.acknowledged.has(r) && !f.unanswered.has(r));
        const rowsPerIncident = async (table: 'stage_reports' | 'incident_causes') => {
          const counts = await db
            .selectFrom(table)
            .select(['incident_id', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('incident_id')
            .execute();
          return new Map(counts.map((c) => [c.incident_id, Number(c.n)]));
        };
        const stagesOf = await rowsPerIncident('stage_reports');
        const causesOf = await rowsPerIncident('incident_causes');
        const incomplete = rows.filter(
          (r) =>
            stagesOf.get(r.id) !== 1 ||
            causesOf.get(r.id) !== splitCodes(r.causes).length ||
            r.title !== `crash test report ${r.ref}` ||
            !r.event ||
            !r.month ||
            !r.first_received_at,
        );
        const channelTotal = await db
          .selectFrom('stat_rollup')
          .select((eb) => eb.fn.sum<number>('n').as('n'))
          .where('tbl', '=', 'channels')
          .executeTakeFirstOrThrow();
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        const lostAnswers = [...found].filter((r) => !f.acknowledged.has(r)).length;
        process.stdout.write(
          `\n[crash ${dialect}] acknowledged ${f.acknowledged.size}, found ${f.acknowledged.size - missing.length} ` +
            `(+${lostAnswers} stored whose answer was lost), missing ${missing.length}, ` +
            `duplicates ${refs.length - found.size}, incomplete ${incomplete.length}, kills ${kills} (SIGKILL at ${killedAt.join(', ')} acknowledged), ` +
            `answers ${JSON.stringify(f.statuses)}, ${seconds} s\n`,
        );
        expect(f.unexpected).toEqual([]);
        expect(missing).toEqual([]);
        expect(refs.length).toBe(found.size); // no ref twice
        expect(unexplained).toEqual([]);
        expect(incomplete.map((r) => r.ref)).toEqual([]);
        expect(Number(channelTotal.n)).toBe(rows.length);
        expect(await rollupMismatches(check)).toEqual([]);
        expect(kills).toBeGreaterThanOrEqual(3);
      } finally {
        await check.database.close();
      }
    } finally {
      if (server) {
        process.kill(server.pid, 'SIGKILL');
        await server.stop();
      }
      await database.drop();
    }
  }, 120_000);
});
