import type { FastifyInstance } from 'fastify';

export interface ListenOptions {
  /** Default 127.0.0.1: loopback only unless asked. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Signals that stop the server gracefully (default SIGTERM, SIGINT). */
  signals?: NodeJS.Signals[];
  /** Runs after the HTTP server closed (free the service: database connections). */
  onClose?: () => Promise<void> | void;
}

export interface Listening {
  url: string;
  port: number;
  /** Resolves once a signal (or `stop`) closed the server and onClose ran. */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Listens and stops gracefully: on a signal the server stops accepting
 * connections, answers the requests in flight, closes idle keep-alive
 * connections, then runs onClose. The caller decides the exit code (0).
 */
export async function listen(app: FastifyInstance, options: ListenOptions = {}): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  let stopping: Promise<void> | undefined;
  let done!: () => void;
  const stopped = new Promise<void>((resolve) => (done = resolve));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const stop = () => {
    stopping ??= (async () => {
      for (const s of signals) process.off(s, stop);
      await app.close();
      await options.onClose?.();
      done();
    })();
    return stopping;
  };
  for (const s of signals) process.once(s, stop);
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, stopped, stop };
}
