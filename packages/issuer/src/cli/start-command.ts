import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createIssuerApp } from '../app/create-issuer-app.ts';
import { readCliConfig } from './cli-config.ts';
import { CliError } from './cli-error.ts';
import type { Environment } from './environment.ts';
import { checkKeySecret, openService } from './open-service.ts';

export interface StartOptions {
  readonly configPath: string;
  /** Overrides `listen.port` (0: any free port; the one taken is printed). */
  readonly port?: number;
  readonly host?: string;
  /** Called once listening, before anything is printed: where the entry point wires signals to `stop`. */
  readonly onListening?: (service: RunningService) => void;
}

export interface RunningService {
  /** Where this process listens, e.g. `http://127.0.0.1:8080` (the public base URL may differ). */
  readonly listenUrl: string;
  /** Stops accepting connections, lets requests in flight finish (10 s at most), closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** How long requests in flight get to finish on shutdown. */
const DRAIN_MS = 10_000;

/**
 * `tessera-issuer start`: reads the configuration file and the environment, opens the database
 * (PGlite in the data folder, or PostgreSQL when `TESSERA_ISSUER_DATABASE_URL` is set: several
 * processes on one PostgreSQL act as one service), checks the key secret, and listens.
 */
export async function startCommand(
  options: StartOptions,
  env: Environment,
  out: (line: string) => void,
): Promise<RunningService> {
  const config = await readCliConfig(options.configPath);
  const host = options.host ?? config.host;
  const port = options.port ?? config.port;
  const service = await openService(config, env);
  let server: Server;
  try {
    await checkKeySecret(
      service.keyring,
      config.issuer.tenants.map((tenant) => tenant.id),
    );
    const { app } = await createIssuerApp({
      config: config.issuer,
      store: service.store,
      keyring: service.keyring,
      developmentCa: service.developmentCa,
    });
    server = createServer(app);
    await listen(server, host, port);
  } catch (error) {
    await service.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const listenUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Idle keep-alive sockets would hold `close` open; busy ones get DRAIN_MS to finish.
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
      await closed;
      clearTimeout(timer);
      await service.close();
    })();
    return stopping;
  };
  const running: RunningService = { listenUrl, stop };
  options.onListening?.(running);
  const dids = await Promise.all(config.issuer.tenants.map(async (tenant) => (await service.keyring.identity(tenant.id)).did));
  out(`Public base URL: ${config.issuer.baseUrl}`);
  for (const [position, tenant] of config.issuer.tenants.entries()) {
    out(
      `  ${tenant.id}: ${config.issuer.baseUrl}/.well-known/openid-credential-issuer/tenants/${tenant.id}  (${dids[position]})`,
    );
  }
  // Last, so whoever waits for this line knows the service is up and can be stopped.
  out(`tessera-issuer listening on ${listenUrl} (${service.databaseDescription})`);
  return running;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE')
        reject(new CliError(`Port ${port} on ${host} is already in use. Stop the other process or pick another port (--port).`));
      else if (error.code === 'EACCES')
        reject(new CliError(`Not allowed to listen on ${host}:${port} (ports below 1024 need privileges).`));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new CliError(`Cannot listen on ${host}: no such local address.`));
      else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
