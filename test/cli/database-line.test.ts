import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestDatabase } from '../support/databases.js';
import { describeEachDialect, freshDatabase } from '../support/databases.js';

/** The real command in a child process (through tsx, so no build is needed), as cli.test.ts runs it. */
const ROOT = new URL('../..', import.meta.url).pathname;

const { KYOYU_DATABASE_URL: _ignored, ...withoutDatabaseUrl } = process.env;

function kyoyu(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: ROOT,
    env: { ...withoutDatabaseUrl, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

it('kyoyu --version prints the package version', () => {
  const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
  expect(kyoyu(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
});

describeEachDialect('the database a command reads, on %s', (dialect) => {
  let database: TestDatabase;
  let url: string;
  beforeAll(async () => {
    database = await freshDatabase(dialect);
    // A password in the URL must never be printed (the test server trusts local connections).
    url = database.url.replace(/^postgres:\/\/([^:@/]+)@/, 'postgres://$1:not-to-be-printed@');
  });
  afterAll(() => database?.drop());
  /** How the URL is shown: SQLite's as it is, PostgreSQL's with the password masked and the schema named. */
  const shown = () =>
    dialect === 'sqlite'
      ? url
      : url.replace('not-to-be-printed', '***').replace(/\?schema=(\w+)$/, ' (schema $1)');

  it('is named on stderr; an empty database and a year without data are warned about', () => {
    const empty = kyoyu(['stats', '--fy', '2023', '--db', url]);
    expect(empty.code).toBe(0);
    expect(empty.err).toContain(`database: ${shown()}`);
    expect(empty.err).not.toContain('not-to-be-printed');
    expect(empty.err).toMatch(/warning: the database is empty .*--db sqlite:\.\/kyoyu-data\/demo\.sqlite/);
    expect(empty.err).toContain('warning: FY2023 has no data');
    // The answer itself is unchanged: JSON on stdout, all zeros.
    expect(JSON.parse(empty.out)).toMatchObject({ fiscal_year: 2023 });

    const imported = kyoyu([
      'aggregates',
      'import',
      'data/published-info-sharing-fy2019-fy2023.json',
      '--db',
      url,
    ]);
    expect(imported.code).toBe(0);
    expect(imported.err).toContain('database: ');
    expect(imported.err).not.toContain('warning'); // an import fills an empty database: no warning

    const published = kyoyu(['stats', '--fy', '2023', '--db', url]);
    expect(published.code).toBe(0);
    expect(published.err).toContain(`database: ${shown()}`);
    expect(published.err).not.toContain('warning');

    const old = kyoyu(['stats', '--fy', '1999', '--db', url]);
    expect(old.code).toBe(0);
    expect(old.err).toContain('warning: FY1999 has no data (no records, no published figures)');
    expect(old.err).not.toContain('database is empty');
  });

  it('KYOYU_DATABASE_URL is the database named when no --db is given', () => {
    const { err } = kyoyu(['audit', 'verify'], { KYOYU_DATABASE_URL: url });
    expect(err).toContain(`database: ${shown()}`);
  });
});
