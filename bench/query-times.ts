/** Where a POST's database time goes, per statement (SQLite): `node --import tsx bench/query-times.ts`. */
import SQLite from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { openServices } from '../src/bootstrap.js';
import { loadConfig } from '../src/config.js';

const times = new Map<string, { n: number; ms: number }>();
// eslint-disable-next-line @typescript-eslint/unbound-method -- re-bound with call() below
const original = SQLite.prototype.prepare;
SQLite.prototype.prepare = function (this: SQLite.Database, source: string) {
  const statement: SQLite.Statement = original.call(this, source);
  const key = source.slice(0, 60);
  for (const method of ['run', 'all', 'get'] as const) {
    const fn = statement[method].bind(statement) as (...a: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const t = performance.now();
      try {
        return fn(...args);
      } finally {
        const e = times.get(key) ?? { n: 0, ms: 0 };
        e.n++;
        e.ms += performance.now() - t;
        times.set(key, e);
      }
    };
  }
  return statement;
} as typeof SQLite.prototype.prepare;

rmSync('/tmp/qt.sqlite', { force: true });
const services = await openServices(loadConfig({ KYOYU_DATABASE_URL: 'sqlite:/tmp/qt.sqlite' }));
await services.accounts.createUser({ email: 'op@q.example', organization: 'Q Co', role: 'operator' });
const token = await services.accounts.createToken('op@q.example');
const N = 3000;
const started = performance.now();
for (let i = 0; i < N; i++) {
  const actor = (await services.accounts.actorForToken(token))!;
  await services.incidents.submit(actor, {
    ref: `Q-${i}`,
    channel: 'operator_report',
    received_at: '2024-05-01T10:00:00+09:00',
    sector: 'electricity',
    title: 'load',
    description: 'x'.repeat(300),
    stage: 'initial',
    event: 'other',
    causes: ['other.unknown'],
    attack_type: null,
  });
}
const total = performance.now() - started;
console.log(`${N} submits in ${total.toFixed(0)} ms: ${((total / N) * 1000).toFixed(0)} µs each`);
for (const [k, v] of [...times.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14)) {
  console.log(`${((v.ms / N) * 1000).toFixed(0).padStart(6)} µs/submit ${String(v.n).padStart(6)}x  ${k}`);
}
await services.database.close();
