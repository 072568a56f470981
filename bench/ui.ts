/**
 * The UI phase alone, on a database that already holds the incidents (for example one kept with
 * BENCH_KEEP=1): `node --import tsx bench/ui.ts sqlite:/tmp/kb/kyoyu.sqlite [runs]`.
 */
import { benchOrganizations } from './generate.js';
import { uiPhase } from './phase-ui.js';
import { summaryTable, log } from './report.js';

const [databaseUrl, runs = '5'] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: bench/ui.ts DATABASE_URL [runs]');
const dialect = databaseUrl.startsWith('postgres') ? 'postgres' : 'sqlite';
const { metrics } = await uiPhase(databaseUrl, dialect, benchOrganizations(200)[0]!, { runs: Number(runs) });
log(summaryTable(metrics));
