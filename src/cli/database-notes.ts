import { readFileSync } from 'node:fs';
import type { Services } from '../services.js';
import type { CliIo } from './io.js';

/** The package's version (`kyoyu --version`), read from the package.json beside src/ and dist/. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/**
 * Says on stderr which database a command reads (its URL, any password masked by the database's
 * description) and warns when it holds nothing at all: a command run against a new empty default
 * database rather than the demo's would otherwise answer zeros without a word.
 */
export async function noteDatabase(services: Services, io: CliIo, fills: boolean): Promise<void> {
  io.err(`database: ${services.database.description}\n`);
  if (fills || !(await isEmpty(services))) return;
  const dataDir = io.env.KYOYU_DATA_DIR ?? './kyoyu-data';
  io.err(
    `warning: the database is empty (no records, published figures or users); ` +
      `the demo's is --db sqlite:${dataDir}/demo.sqlite (npm start creates it)\n`,
  );
}

async function isEmpty(services: Services): Promise<boolean> {
  const { db } = services.database;
  for (const table of ['incidents', 'published_aggregates', 'users'] as const) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.lit(1).as('one'))
      .limit(1)
      .executeTakeFirst();
    if (row) return false;
  }
  return true;
}

/** Warns when a fiscal year has neither records nor published figures: its tables are all zero. */
export async function warnIfYearEmpty(services: Services, fiscalYear: number, io: CliIo): Promise<void> {
  const { db } = services.database;
  const published = await db
    .selectFrom('published_aggregates')
    .select('fiscal_year')
    .where('fiscal_year', '=', fiscalYear)
    .limit(1)
    .executeTakeFirst();
  if (published) return;
  const { start, end } = services.calendar.rangeOf(fiscalYear);
  const record = await db
    .selectFrom('incidents')
    .select('id')
    .where('first_received_at', '>=', start.toISOString())
    .where('first_received_at', '<', end.toISOString())
    .limit(1)
    .executeTakeFirst();
  if (!record)
    io.err(`warning: FY${fiscalYear} has no data (no records, no published figures): every figure is 0\n`);
}
