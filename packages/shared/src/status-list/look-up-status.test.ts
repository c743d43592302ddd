import { describe, expect, it } from 'vitest';
import { generateKeyPair, importSigningKey, webCrypto } from '../crypto/web.ts';
import { errorCodeOf } from '../testing.ts';
import { lookUpStatus } from './look-up-status.ts';
import type { StatusListReference } from './reference.ts';
import { createStatusList } from './status-list.ts';
import { createStatusListToken, verifyStatusListToken } from './status-list-token.ts';
import { StatusValue } from './status-types.ts';

const URI = 'https://issuer.example/status/7';
const at = (idx: number, uri = URI): StatusListReference => ({ idx, uri });

describe('lookUpStatus', () => {
  const list = createStatusList(1024, 2);
  list.set(0, StatusValue.INVALID);
  list.set(513, StatusValue.SUSPENDED);

  it("reads the status a credential's reference points at", () => {
    expect([0, 1, 513, 1023].map((idx) => lookUpStatus(list, at(idx)))).toEqual([
      StatusValue.INVALID,
      StatusValue.VALID,
      StatusValue.SUSPENDED,
      StatusValue.VALID,
    ]);
  });

  it('rejects an index past the end of the list (§8.3 step 6)', () => {
    expect(errorCodeOf(() => lookUpStatus(list, at(1024)))).toBe('status_index_out_of_range');
    expect(errorCodeOf(() => lookUpStatus(list, at(2 ** 40)))).toBe('status_index_out_of_range');
  });

  it('rejects a negative, fractional or non-numeric index as a malformed reference', () => {
    for (const idx of [-1, 0.5, Number.NaN, '3' as unknown as number]) {
      expect(errorCodeOf(() => lookUpStatus(list, at(idx)))).toBe('invalid_status_reference');
    }
  });

  it('reads a verified token only for the URI it was published at', async () => {
    const pair = await generateKeyPair('ES256');
    const signingKey = await importSigningKey(pair.privateJwk, 'ES256');
    const jwt = await createStatusListToken({ list, uri: URI, signingKey });
    const token = await verifyStatusListToken(jwt, { issuerKey: pair.publicJwk, crypto: webCrypto, expectedUri: URI });
    expect(lookUpStatus(token, at(513))).toBe(StatusValue.SUSPENDED);
    expect(errorCodeOf(() => lookUpStatus(token, at(513, 'https://issuer.example/status/8')))).toBe('invalid_claim');
  });
});
