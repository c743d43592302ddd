/**
 * Hostile input for every Token Status List parser: whatever arrives, the only failure is a
 * TesseraError — never another exception, never a hang, never an unbounded allocation.
 */
import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeCrypto, nodeSigningKey } from '../crypto/node.ts';
import { generateKeyPair } from '../crypto/web.ts';
import { encodeBase64Url } from '../encoding/base64url.ts';
import type { JsonObject } from '../encoding/json.ts';
import { TesseraError } from '../errors/tessera-error.ts';
import { signJwt } from '../jws/compact.ts';
import { nodeInflate } from './node-inflate.ts';
import { parseStatusReference } from './reference.ts';
import { decodeStatusList } from './status-list.ts';
import { verifyStatusListToken } from './status-list-token.ts';

/** Runs `fn`; anything it throws must be a TesseraError. */
async function onlyTesseraErrors(fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof TesseraError)) throw error;
  }
}

const anyJson = fc.jsonValue({ maxDepth: 4 });
const smallLimit = { maxBytes: 4096 };

describe('Token Status List parsers under hostile input', () => {
  it('decodeStatusList meets random objects, random lst strings and random zlib streams with TesseraErrors only', async () => {
    const lst = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => encodeBase64Url(bytes)),
      // Valid zlib around random content, some of it larger than the limit once inflated.
      fc
        .uint8Array({ maxLength: 600 })
        .map((bytes) => encodeBase64Url(deflateSync(Buffer.concat([bytes, Buffer.alloc(bytes.length * 10)])))),
    );
    const encoded = fc.oneof(anyJson, fc.record({ bits: fc.oneof(fc.constantFrom(1, 2, 4, 8), fc.integer(), fc.double()), lst }));
    await fc.assert(
      fc.asyncProperty(encoded, fc.boolean(), async (value, useNode) => {
        await onlyTesseraErrors(() =>
          decodeStatusList(value as never, useNode ? { ...smallLimit, inflate: nodeInflate } : smallLimit),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('verifyStatusListToken meets random strings and dot-joined garbage with TesseraErrors only', async () => {
    const { publicJwk } = await generateKeyPair();
    const part = fc.oneof(fc.string({ maxLength: 60 }), fc.uint8Array({ maxLength: 80 }).map(encodeBase64Url));
    const token = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(part, { minLength: 1, maxLength: 4 }).map((p) => p.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(token, async (text) => {
        await onlyTesseraErrors(() =>
          verifyStatusListToken(text, {
            issuerKey: publicJwk,
            crypto: nodeCrypto,
            expectedUri: 'https://issuer.example/status/1',
          }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('verifyStatusListToken meets correctly signed tokens with random payloads with TesseraErrors only', async () => {
    const { privateJwk, publicJwk } = await generateKeyPair();
    const signingKey = nodeSigningKey(privateJwk, 'ES256');
    const payload = fc.oneof(
      fc.dictionary(fc.string({ maxLength: 8 }), anyJson, { maxKeys: 6 }),
      fc.record({
        sub: fc.oneof(fc.constant('https://issuer.example/status/1'), anyJson),
        iat: fc.oneof(fc.integer(), anyJson),
        exp: fc.oneof(fc.integer(), anyJson),
        ttl: anyJson,
        status_list: fc.oneof(anyJson, fc.record({ bits: anyJson, lst: fc.uint8Array({ maxLength: 60 }).map(encodeBase64Url) })),
      }),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (claims) => {
        const token = await signJwt({ typ: 'statuslist+jwt' }, claims as JsonObject, signingKey);
        await onlyTesseraErrors(() =>
          verifyStatusListToken(token, {
            issuerKey: publicJwk,
            crypto: nodeCrypto,
            expectedUri: 'https://issuer.example/status/1',
            maxBytes: 4096,
            inflate: nodeInflate,
          }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('parseStatusReference meets random JSON with TesseraErrors only, and accepts only sound references', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, fc.record({ status_list: fc.record({ idx: anyJson, uri: anyJson }) })), (value) => {
        try {
          const reference = parseStatusReference(value);
          expect(Number.isSafeInteger(reference.idx) && reference.idx >= 0).toBe(true);
          expect(typeof reference.uri).toBe('string');
        } catch (error) {
          expect(error).toBeInstanceOf(TesseraError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
