import { createAgent, type ICredentialIssuer, type IDIDManager, type IKeyManager, type TAgent } from '@veramo/core';
import { CredentialProviderJWT } from '@veramo/credential-jwt';
import { CredentialPlugin } from '@veramo/credential-w3c';
import { DIDManager } from '@veramo/did-manager';
import { JwkDIDProvider } from '@veramo/did-provider-jwk';
import { WebDIDProvider } from '@veramo/did-provider-web';
import { KeyManager } from '@veramo/key-manager';
import { KeyManagementSystem } from '@veramo/kms-local';
import type { Kysely } from 'kysely';
import type { IssuerKeyTables } from './migrations.ts';
import { SqlDidStore } from './sql-did-store.ts';
import { SqlKeyStore } from './sql-key-store.ts';
import { SqlPrivateKeyStore } from './sql-private-key-store.ts';

/** The name of the one KMS: Veramo's local KMS over the encrypted private key store. */
export const LOCAL_KMS = 'local';

/** Keys and DIDs, and W3C credentials signed as JWTs (`jwt_vc_json`) with those keys. */
export type TenantAgent = TAgent<IKeyManager & IDIDManager & ICredentialIssuer>;

/** A Veramo agent and the stores under it, all on one Kysely handle (the database, or a transaction). */
export interface VeramoStores {
  agent: TenantAgent;
  keys: SqlKeyStore;
  privateKeys: SqlPrivateKeyStore;
  dids: SqlDidStore;
  db: Kysely<IssuerKeyTables>;
}

/**
 * Builds the agent over `db`. Cheap (no I/O), so a transaction gets an agent of its own: every
 * write Veramo makes while creating or rotating a tenant then commits or rolls back together.
 */
export function createVeramoStores(db: Kysely<IssuerKeyTables>, secretKey: string, clock: () => number): VeramoStores {
  const keys = new SqlKeyStore(db, clock);
  const privateKeys = new SqlPrivateKeyStore(db, secretKey);
  const dids = new SqlDidStore(db, keys);
  const agent = createAgent<IKeyManager & IDIDManager & ICredentialIssuer>({
    plugins: [
      new KeyManager({ store: keys, kms: { [LOCAL_KMS]: new KeyManagementSystem(privateKeys) } }),
      new DIDManager({
        store: dids,
        defaultProvider: 'did:jwk',
        providers: {
          'did:jwk': new JwkDIDProvider({ defaultKms: LOCAL_KMS }),
          'did:web': new WebDIDProvider({ defaultKms: LOCAL_KMS }),
        },
      }),
      // Issuing only: the JWT provider signs through `keyManagerSign`, so the key stays in the KMS.
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  });
  return { agent, keys, privateKeys, dids, db };
}
