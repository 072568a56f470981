/**
 * Runs `job` in the background, never two at once: again `idleMs` after a run, or `busyMs` after
 * one that says more is waiting (a backlog goes out in quick steps, then the job rests). A failed
 * run is reported and the job goes on. `stop` waits for a run in progress (before the database
 * closes under it).
 */
export function repeat(
  job: () => Promise<boolean>,
  { idleMs, busyMs, onError }: { idleMs: number; busyMs: number; onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = job().then(
        (more) => schedule(more ? busyMs : idleMs),
        (error: unknown) => {
          onError(error);
          schedule(idleMs);
        },
      );
    }, ms);
    timer.unref();
  };
  schedule(busyMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
