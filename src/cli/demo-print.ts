import type { DemoAccount } from '../demo/demo.js';
import { terminalQr } from '../demo/credentials.js';
import type { CliIo } from './io.js';

/**
 * What `kyoyu demo` prints: the second factors first (their QR codes are long), then the accounts,
 * tokens and URLs, so that what one needs to sign in is what stays on the screen.
 */
export async function printDemoAccounts(
  accounts: readonly DemoAccount[],
  base: string,
  io: CliIo,
  ownSeed: boolean,
): Promise<void> {
  for (const a of accounts) {
    if (!a.totpSecret || !a.otpauthUri) continue;
    io.out(`\n  second factor of ${a.email} (${a.role}): scan, or add the secret or the URI\n`);
    io.out(`    ${a.otpauthUri}\n`);
    io.out(indent(await terminalQr(a.otpauthUri), '    '));
  }
  io.out(
    `\n  URL       ${base}/\n  API docs  ${base}/api/docs\n  Stats     ${base}/api/v1/stats/info-sharing?fy=2023\n`,
  );
  const seedNote = ownSeed
    ? 'derived from KYOYU_DEMO_SEED'
    : 'the same on every start; KYOYU_DEMO_SEED changes them';
  io.out(`\n  demo tokens (${seedNote}; send as "Authorization: Bearer <token>"):\n`);
  for (const a of accounts) io.out(`    ${a.role.padEnd(15)} ${a.email.padEnd(30)} ${a.token}\n`);
  io.out(`\n  demo sign-in (password for every account: ${accounts[0]!.password}):\n`);
  for (const a of accounts) {
    const mfa = a.totpSecret ? `TOTP secret ${a.totpSecret} (QR code above)` : 'no second factor';
    io.out(`    ${a.role.padEnd(15)} ${a.email.padEnd(30)} ${mfa}\n`);
  }
  io.out(
    '\n  two admins: what one asks for a center analyst or an admin (create, promote, reset) the other approves\n',
  );
  const analyst = accounts.find((a) => a.role === 'center_analyst')!;
  io.out(
    `\n  try: curl -H "Authorization: Bearer ${analyst.token}" "${base}/api/v1/stats/info-sharing?fy=2023"\n`,
  );
  io.out('  request logs are off in the demo (KYOYU_LOG_LEVEL=info turns them on)\n\n');
}

const indent = (text: string, by: string): string =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => by + line + '\n')
    .join('');
