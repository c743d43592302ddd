import { createStatusList, createStatusListToken, type StatusBits } from '@tessera/shared';
import { nodeDeflate } from '@tessera/shared/node';
import { DID_STATUS_LIST_ID, type IssuerContext } from '../app/issuer-context.ts';
import type { TenantSigners } from '../app/tenant-signer.ts';

export interface PublishedStatusList {
  readonly token: string;
  /** The store's version of the list: changes with every status change (the ETag). */
  readonly version: number;
  /** Seconds a relying party may cache it. */
  readonly ttl: number;
}

/**
 * Publishes tenants' Status List Tokens (draft-ietf-oauth-status-list §5.1), each made from the
 * store and kept until its list changes: a verifier's fetch costs one read of the version and,
 * only after a change, one signature. `sub` is the URI credentials point to; `iss` and the key
 * are the tenant's, as for its credentials (§8.3: the same issuer signs both).
 */
export function createStatusListPublisher(
  context: IssuerContext,
  signerFor: TenantSigners,
): (tenantId: string, listId: string) => Promise<PublishedStatusList | undefined> {
  const published = new Map<string, { version: number; expiresAt: number; token: Promise<string> }>();
  return async (tenantId, listId) => {
    const info = await context.store.getStatusList(tenantId, listId);
    if (info === undefined) return undefined;
    const ttl = context.tenants.get(tenantId)?.statusList.ttlSeconds ?? 3600;
    const key = `${tenantId}/${listId}`;
    const now = context.clock();
    let cached = published.get(key);
    if (cached === undefined || cached.version !== info.version || cached.expiresAt <= now) {
      cached = { version: info.version, expiresAt: now + ttl * 1000, token: sign(tenantId, listId, ttl) };
      published.set(key, cached);
      cached.token.catch(() => published.delete(key));
    }
    return { token: await cached.token, version: info.version, ttl };
  };

  async function sign(tenantId: string, listId: string, ttl: number) {
    const snapshot = await context.store.readStatuses(tenantId, listId);
    if (snapshot === undefined) throw new TypeError(`Status list ${listId} vanished`);
    const list = createStatusList(snapshot.size, snapshot.bits as StatusBits);
    for (const { index, status } of snapshot.entries) list.set(index, status);
    const signer = await signerFor(tenantId, listId === DID_STATUS_LIST_ID ? 'did' : undefined);
    const issuedAt = Math.floor(context.clock() / 1000);
    return createStatusListToken({
      list,
      uri: context.urls.statusList(tenantId, listId),
      issuer: signer.issuer,
      issuedAt,
      // §13.3: an exp bounds how long a stale copy can be believed; twice the ttl leaves room for caches.
      expiresAt: issuedAt + 2 * ttl,
      ttl,
      signingKey: signer.signingKey,
      header: signer.header,
      deflate: nodeDeflate,
    });
  }
}
