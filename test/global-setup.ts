/** Says loudly, once per run, whether the PostgreSQL half of the suite runs. */
export default function setup(): void {
  const url = process.env.KYOYU_TEST_POSTGRES_URL;
  if (url) {
    process.stdout.write(`\n[kyoyu] PostgreSQL tests RUN against ${url.replace(/:[^:@/]*@/, ':***@')}\n`);
  } else {
    process.stdout.write(
      '\n[kyoyu] PostgreSQL tests SKIPPED: set KYOYU_TEST_POSTGRES_URL=postgres://... to run them (CI does)\n',
    );
  }
}
