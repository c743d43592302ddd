import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { type IssuerConfig, type IssuerConfigInput, issuerConfigSchema, parseIssuerConfig } from '../config/issuer-config.ts';
import { SHIPPED_CREDENTIAL_TYPES } from '../credential-types/index.ts';
import { CliError } from './cli-error.ts';

/**
 * The `tessera-issuer` configuration file (JSON): where the service listens, where it keeps its
 * data, and the issuer configuration itself (`issuerConfigSchema`). Secrets never go in it: the
 * key secret and a PostgreSQL URL come from the environment.
 */
export const cliConfigSchema = z.strictObject({
  /** Documentation only, ignored. */
  $comment: z.string().optional(),
  listen: z
    .strictObject({
      /** Address to bind. Default 127.0.0.1: put a TLS-terminating proxy in front for anything public. */
      host: z.string().min(1).default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(8080),
    })
    .prefault({}),
  /** Folder for the PGlite database (`db/`) and the development CA (`ca/`), relative to this file. */
  dataDir: z.string().min(1).default('./data'),
  issuer: z.unknown(),
});

export interface CliConfig {
  /** Absolute path of the file read. */
  readonly path: string;
  readonly host: string;
  readonly port: number;
  /** Absolute. */
  readonly dataDir: string;
  /** The issuer configuration, parsed and cross-checked. */
  readonly issuer: IssuerConfig;
}

/** Where PGlite keeps the database and where the development CA lives, inside the data folder. */
export const dataPaths = (dataDir: string): { database: string; ca: string } => ({
  database: resolve(dataDir, 'db'),
  ca: resolve(dataDir, 'ca'),
});

/**
 * Reads and checks the configuration file; every problem is reported with its path in the file
 * (`issuer.tenants.0.id: …`) as a `CliError`.
 */
export async function readCliConfig(path: string): Promise<CliConfig> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `No configuration file at ${absolute}. Run "tessera-issuer init" first, or pass --config <file>.`
        : `Cannot read the configuration file ${absolute} (${code ?? 'error'}).`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`The configuration file ${absolute} is not valid JSON: ${(error as Error).message}`);
  }
  const outer = cliConfigSchema.safeParse(json);
  if (!outer.success) throw invalid(absolute, outer.error.issues);
  const inner = issuerConfigSchema.safeParse(outer.data.issuer);
  if (!inner.success) throw invalid(absolute, inner.error.issues, 'issuer');
  let issuer: IssuerConfig;
  try {
    issuer = parseIssuerConfig(outer.data.issuer, new Set(SHIPPED_CREDENTIAL_TYPES.map((type) => type.id)));
  } catch (error) {
    // Cross-checks (https, duplicate ids, unknown types) name their paths inside `issuer`.
    throw new CliError(
      `Invalid configuration in ${absolute} (under "issuer"):\n${(error as Error).message.replace(/^.*\n/, '')}`,
    );
  }
  return {
    path: absolute,
    host: outer.data.listen.host,
    port: outer.data.listen.port,
    dataDir: resolve(dirname(absolute), outer.data.dataDir),
    issuer,
  };
}

function invalid(path: string, issues: readonly z.core.$ZodIssue[], prefix?: string): CliError {
  const lines = issues.map((issue) => {
    const where = [...(prefix === undefined ? [] : [prefix]), ...issue.path.map(String)].join('.') || '(root)';
    return `- ${where}: ${issue.message}`;
  });
  return new CliError(`Invalid configuration in ${path}:\n${lines.join('\n')}`);
}

/** What `init` writes: the two sample tenants on a local, plain-http base URL. */
export function sampleCliConfig({ host, port, baseUrl }: { host: string; port: number; baseUrl: string }): {
  $comment: string;
  listen: { host: string; port: number };
  dataDir: string;
  issuer: IssuerConfigInput;
} {
  const local = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(baseUrl);
  return {
    $comment:
      'Tessera issuer. Secrets come from the environment: TESSERA_ISSUER_KEY_SECRET (required), TESSERA_ISSUER_DATABASE_URL (PostgreSQL; default: PGlite in dataDir).',
    listen: { host, port },
    dataDir: './data',
    issuer: {
      baseUrl,
      ...(local ? { allowInsecureBaseUrl: true } : {}),
      tenants: [
        {
          id: 'bologna',
          name: { en: 'City of Bologna — Immigration Office', it: 'Comune di Bologna — Ufficio Immigrazione' },
          // did:web works on localhost too: verifiers resolve it over http only when told to allow localhost.
          didMethod: 'web',
          credentialTypes: ['residence_permit', 'asylum_seeker_registration', 'professional_qualification_recognition'],
        },
        {
          id: 'caritas',
          name: { en: 'Caritas Language School', it: 'Scuola di lingua Caritas' },
          didMethod: 'web',
          credentialTypes: ['language_course_certificate'],
        },
      ],
    },
  };
}
