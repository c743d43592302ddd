import { createServer, type RequestListener, type Server } from 'node:http';

/** A listening HTTP server and how to stop it. */
export interface Listening {
  readonly server: Server;
  /** The port taken (the one asked for, or a free one for 0). */
  readonly port: number;
  /** Stops accepting, closes idle connections, and gives busy ones a moment. Idempotent. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port`. A taken port is a plain error naming it and the flag that moves it,
 * because it is the first thing that goes wrong when a second demo is started.
 */
export async function listen(handler: RequestListener, host: string, port: number): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} on ${host} is taken (another demo running?). Choose others with --port <first port>.`)
          : error,
      );
    });
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const taken = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    server,
    port: taken,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Long polls from the desk page would hold the server open: a second is enough for a demo.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}
