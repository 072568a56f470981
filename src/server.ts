import type { FastifyInstance } from 'fastify';

/** Listens and shuts down gracefully: in-flight requests finish and their commits land before exit. */
export async function listen(
  app: FastifyInstance,
  host: string,
  port: number,
  onClose: () => Promise<void>,
): Promise<string> {
  const url = await app.listen({ host, port });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app
      .close()
      .then(onClose)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return url;
}
