import { rmSync } from 'node:fs';
import { buildApp } from '../app.js';
import { openServices } from '../bootstrap.js';
import type { Config } from '../config.js';
import { loadDemo } from '../demo/demo.js';
import type { Services } from '../services.js';
import { listen } from '../server.js';
import type { CliIo } from './io.js';

async function serve(services: Services, io: CliIo): Promise<string> {
  const app = await buildApp(services, { logger: { level: services.config.logLevel } });
  const url = await listen(app, services.config.host, services.config.port, () => services.database.close());
  io.err(`kyoyu is serving ${services.database.description} at ${url}\n`);
  return url;
}

/** `kyoyu serve`: the configured database as it is; demo data is never loaded here. */
export async function runServe(config: Config, io: CliIo): Promise<void> {
  const services = await openServices(config);
  await serve(services, io);
  await new Promise(() => undefined); // until a signal closes the server
}

/** `kyoyu demo`: a fresh demo database of its own, then (unless --no-serve) the server on it. */
export async function runDemo(config: Config, io: CliIo, andServe: boolean): Promise<void> {
  if (config.databaseUrl.startsWith('sqlite:')) {
    const path = config.databaseUrl.slice('sqlite:'.length);
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  }
  const services = await openServices(config);
  const existing = await services.database.db.selectFrom('incidents').select('id').limit(1).execute();
  if (existing.length > 0) {
    await services.database.close();
    throw new Error(`${services.database.description} already holds data; the demo needs an empty database`);
  }
  const started = Date.now();
  const { accounts, lines } = await loadDemo(services);
  io.out(
    `demo data loaded into ${services.database.description}: ${lines} report lines in ${Date.now() - started} ms\n`,
  );
  const base = `http://${config.host}:${config.port}`;
  io.out(
    `\n  URL       ${base}/\n  API docs  ${base}/api/docs\n  Stats     ${base}/api/v1/stats/info-sharing?fy=2023\n\n`,
  );
  io.out('  demo tokens (send as "Authorization: Bearer <token>"):\n');
  for (const a of accounts) io.out(`    ${a.role.padEnd(15)} ${a.email.padEnd(30)} ${a.token}\n`);
  io.out(`\n  demo sign-in (password for every account: ${accounts[0]!.password}):\n`);
  for (const a of accounts) {
    const mfa = a.totpSecret
      ? `TOTP secret ${a.totpSecret} (add to an authenticator app)`
      : 'no second factor';
    io.out(`    ${a.role.padEnd(15)} ${a.email.padEnd(30)} ${mfa}\n`);
  }
  io.out(
    '\n  two admins: what one asks for a center analyst or an admin (create, promote, reset) the other approves\n',
  );
  io.out(
    `\n  try: curl -H "Authorization: Bearer ${accounts[2]!.token}" "${base}/api/v1/stats/info-sharing?fy=2023"\n\n`,
  );
  if (!andServe) {
    await services.database.close();
    return;
  }
  await serve(services, io);
  await new Promise(() => undefined);
}
