import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type DemoDesk, startDemoDesk } from './demo-desk.ts';
import { type DemoIssuer, startDemoIssuer } from './demo-issuer.ts';
import { readDemoSecrets, writeDemoSecrets } from './demo-secrets.ts';
import { type DemoWalletApp, startDemoWalletApp } from './demo-wallet-app.ts';

export interface DemoOptions {
  /** The one folder holding everything the demo keeps (database, CA, secrets). Created when missing. */
  readonly dataDir: string;
  /**
   * The issuer's port; the desk takes the next one and the wallet app the one after. 0: free ports
   * (tests). Default: the port the data folder was made with, else 8080. A folder made for one
   * port cannot move to another (its issuer DIDs name the port).
   */
  readonly port?: number;
  /** Default 127.0.0.1: the demo is for this machine only. */
  readonly host?: string;
}

export interface RunningDemo {
  readonly issuer: DemoIssuer;
  readonly desk: DemoDesk;
  readonly wallet: DemoWalletApp;
  readonly dataDir: string;
  /** Staff API keys by tenant id, for logging in to the staff pages. */
  readonly staffKeys: Readonly<Record<string, string>>;
  /** Stops the three servers and closes the database. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the whole of Tessera on this machine: the issuer with its two tenants, the service desk,
 * and the wallet app (built from source into the data folder), in that order (the desk needs the issuer's DIDs and CA; the wallet needs the
 * desk's trust list). A failure part-way stops what already started.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secrets = await readDemoSecrets(dataDir);
  const port = choosePort(options.port, secrets.issuerPort, dataDir);
  const next = (offset: number): number => (port === 0 ? 0 : port + offset);

  const started: { close(): Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const part of started.reverse()) await part.close();
  };
  try {
    const issuer = await startDemoIssuer({ dataDir, host, port: next(0), secrets });
    started.push(issuer);
    secrets.issuerPort = issuer.listening.port;
    await writeDemoSecrets(dataDir, secrets);
    const desk = await startDemoDesk({ issuer, host, port: next(1) });
    started.push(desk);
    const wallet = await startDemoWalletApp({
      dataDir,
      host,
      port: next(2),
      trust: desk.trust,
      trustAnchors: [issuer.developmentCa.certificatePem],
    });
    started.push(wallet);
    let stopping: Promise<void> | undefined;
    return {
      issuer,
      desk,
      wallet,
      dataDir,
      staffKeys: { ...secrets.staffKeys },
      stop: () => {
        stopping ??= stopAll();
        return stopping;
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The port asked for, or the folder's; a folder made for another port is refused with what to do. */
function choosePort(asked: number | undefined, recorded: number | undefined, dataDir: string): number {
  if (recorded === undefined) return asked ?? DEFAULT_PORT;
  if (asked === undefined || asked === 0 || asked === recorded) return recorded;
  throw new Error(
    `${dataDir} was made with --port ${recorded}, and its issuer identities name that port. ` +
      `Start with --port ${recorded}, or give another folder with --data.`,
  );
}

const DEFAULT_PORT = 8080;
