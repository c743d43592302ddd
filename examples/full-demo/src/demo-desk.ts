import { SHIPPED_CREDENTIAL_TYPES } from '@tessera/issuer';
import type { DevelopmentCa } from '@tessera/shared/node';
import { createVerifier, parseTrustList, type TrustList, type Verifier } from '@tessera/verifier';
import { createDeskRouter } from '@tessera/verifier/desk';
import { createDevelopmentClient, createVerifierRouter } from '@tessera/verifier/node';
import express from 'express';
import type { DemoIssuer } from './demo-issuer.ts';
import { type Listening, listen } from './listen.ts';

/** The name the desk's certificate carries, which the wallet shows as "who asks". */
export const DESK_NAME = 'Job Centre Bologna — service desk';

export interface DemoDesk {
  readonly listening: Listening;
  readonly verifier: Verifier;
  /** `http://localhost:<port>/desk`: the staff page that asks for proofs. */
  readonly deskPage: string;
  /** The trust list the desk (and the wallet) use: both issuers, each for its own credential types. */
  readonly trust: TrustList;
  close(): Promise<void>;
}

/**
 * The service desk: the OpenID4VP verifier (an `x509_hash:` client certified by the demo's
 * development CA, which the wallet trusts) under `/verify`, and the desk page under `/desk`,
 * trusting exactly the demo issuer's two tenants for their own types.
 */
export async function startDemoDesk({
  issuer,
  host,
  port,
}: {
  issuer: Pick<DemoIssuer, 'tenants'> & { developmentCa: DevelopmentCa };
  host: string;
  port: number;
}): Promise<DemoDesk> {
  const app = express();
  const listening = await listen(app, host, port);
  const origin = `http://localhost:${listening.port}`;
  const trust = demoTrustList(issuer.tenants);
  const { client } = await createDevelopmentClient({ ca: issuer.developmentCa, dnsName: 'localhost', name: DESK_NAME });
  const verifier = createVerifier({
    baseUrl: `${origin}/verify`,
    // Plain http is for localhost only; the verifier refuses it elsewhere.
    allowInsecureBaseUrl: true,
    client,
    // Status lists are fetched for every presentation: the demo shows a revocation at once, where a
    // real desk may rely on a list for its ttl.
    presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true }, statusMaxCacheSeconds: 0 },
  });
  app.use('/verify', createVerifierRouter(verifier));
  app.use('/desk', createDeskRouter(verifier));
  app.get('/', (_request, response) => response.redirect(303, '/desk'));
  return { listening, verifier, deskPage: `${origin}/desk`, trust, close: () => listening.close() };
}

/** The trust list naming each tenant by its DID, with its display names and the `vct`s of its types. */
export function demoTrustList(
  tenants: readonly { did: string; name: Readonly<Record<string, string>>; credentialTypes?: readonly string[] }[],
): TrustList {
  return parseTrustList({
    version: 1,
    issuers: tenants.map((tenant) => ({
      id: tenant.did,
      name: { ...tenant.name },
      credentialTypes: (tenant.credentialTypes ?? []).map((id) => vctOf(id)),
    })),
  });
}

function vctOf(typeId: string): string {
  const type = SHIPPED_CREDENTIAL_TYPES.find((candidate) => candidate.id === typeId);
  if (type === undefined) throw new TypeError(`No shipped credential type ${typeId}`);
  return type.vct;
}
