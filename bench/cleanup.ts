/**
 * Clean-up on Ctrl-C or SIGTERM: an interrupted run must not leave a server child, PostgreSQL schemas
 * or gigabytes of SQLite files behind. Tasks run newest first (the server before the databases).
 */
type Task = () => unknown;

const tasks: Task[] = [];

export function onInterrupt(task: Task): () => void {
  tasks.push(task);
  return () => {
    const i = tasks.indexOf(task);
    if (i >= 0) tasks.splice(i, 1);
  };
}

export function installInterruptCleanup(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: cleaning up (${tasks.length} task(s))\n`);
      // Ending our own connections makes their clients emit errors; they no longer matter.
      process.on('uncaughtException', () => undefined);
      process.on('unhandledRejection', () => undefined);
      void (async () => {
        for (const task of tasks.reverse()) {
          try {
            await task();
          } catch (error) {
            process.stderr.write(`clean-up failed: ${(error as Error).message}\n`);
          }
        }
        process.exit(130);
      })();
    });
  }
}
