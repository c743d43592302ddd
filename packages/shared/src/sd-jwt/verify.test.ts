import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CryptoProvider, Verifier } from '../crypto/types.ts';
import { createWebCrypto } from '../crypto/web.ts';
import { encodeBase64Url, encodeBase64UrlText, utf8 } from '../encoding/base64url.ts';
import type { JsonObject } from '../encoding/json.ts';
import { TesseraError } from '../errors/tessera-error.ts';
import { issueSdJwtVc } from '../sd-jwt-vc/issue.ts';
import { issueSdJwt } from './issue.ts';
import { presentSdJwt } from './present.ts';
import {
  AUDIENCE,
  crypto,
  digest,
  disclosure,
  expectFailure,
  holder,
  issuer,
  issuerJwt,
  joinSdJwt,
  kbJwtFor,
  kbOptions,
  makeKey,
  NONCE,
  NOW,
  noKbOptions,
  rawDisclosure,
  signCompact,
  stranger,
  type TestDisclosure,
  VC_TYP,
  vcPayload,
  withKb,
} from './test-helpers.ts';
import { type VerifySdJwtOptions, verifySdJwt } from './verify.ts';

// Claim values that must never appear in an error message.
const GIVEN = 'Erika-SECRET-given-7f3a';
const FAMILY = 'Mustermann-SECRET-family-2b91';
const SECRETS = [GIVEN, FAMILY];
const RSA = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** A hand-made credential: the VC payload plus `_sd` over `disclosures`, signed by the issuer. */
async function credential(
  disclosures: readonly TestDisclosure[],
  payload: JsonObject = {},
  header: JsonObject = {},
): Promise<string> {
  return credentialWith(disclosures, disclosures, payload, header);
}

/** Like `credential`, but only `topLevel` digests go into the top-level `_sd`. */
async function credentialWith(
  disclosures: readonly TestDisclosure[],
  topLevel: readonly TestDisclosure[],
  payload: JsonObject = {},
  header: JsonObject = {},
): Promise<string> {
  const jwt = await issuerJwt(vcPayload({ _sd: topLevel.map((d) => d.digest), ...payload }), header);
  return joinSdJwt(jwt, disclosures);
}

async function baseline(): Promise<{ given: TestDisclosure; family: TestDisclosure; jwt: string; token: string }> {
  const given = await disclosure('given_name', GIVEN);
  const family = await disclosure('family_name', FAMILY);
  const jwt = await issuerJwt(vcPayload({ _sd: [given.digest, family.digest] }));
  return { given, family, jwt, token: joinSdJwt(jwt, [given, family]) };
}

describe('verifySdJwt baseline', () => {
  it('accepts the hand-crafted baseline credential, so each negative test below changes exactly one thing', async () => {
    const { token } = await baseline();
    const result = await verifySdJwt(token, noKbOptions());
    expect(result.claims).toMatchObject({ given_name: GIVEN, family_name: FAMILY, iss: 'https://issuer.example' });
    expect(result.claims).not.toHaveProperty('_sd');
    expect(result.disclosed).toEqual(expect.arrayContaining([['given_name'], ['family_name']]));
    const bound = await verifySdJwt(await withKb(token), kbOptions());
    expect(bound.keyBinding?.payload).toMatchObject({ aud: AUDIENCE, nonce: NONCE });
  });

  it('gives the same result with the WebCrypto provider as with node:crypto', async () => {
    const { token } = await baseline();
    const presentation = await withKb(token);
    const web = await verifySdJwt(presentation, kbOptions({ crypto: createWebCrypto() }));
    const node = await verifySdJwt(presentation, kbOptions());
    expect(web.claims).toEqual(node.claims);
  });
});

describe('verifySdJwt with asynchronous providers', () => {
  // The verify path stays synchronous for node:crypto and waits only for answers that are
  // promises: each provider below takes the other paths, and must give the same outcomes.
  const sync = crypto;
  const asPromise = <T>(value: T): Promise<T> => Promise.resolve(value);
  const asThenable = <T>(value: T): Promise<T> =>
    // biome-ignore lint/suspicious/noThenProperty: not a native promise, only a `then`, as another promise library would return.
    ({ then: (resolve: (v: T) => unknown) => resolve(value) }) as Promise<T>;
  const wrapped = (wrap: <T>(value: T) => Promise<T>, withDigest: boolean): CryptoProvider => {
    const provider: CryptoProvider = {
      hash: (data, alg) => wrap(sync.hash(data, alg) as Uint8Array),
      randomBytes: sync.randomBytes,
      verifier: (jwk, alg) => {
        const verifier = sync.verifier(jwk, alg) as Verifier;
        return wrap((data: Uint8Array | string, signature: Uint8Array) => wrap(verifier(data, signature) as boolean));
      },
    };
    if (withDigest) provider.digest = (text, alg) => wrap(sync.digest?.(text, alg) as string);
    return provider;
  };
  const providers: [string, CryptoProvider][] = [
    ['every answer a promise', wrapped(asPromise, true)],
    ['hashing without the one-step digest', wrapped(asPromise, false)],
    ['thenables instead of native promises', wrapped(asThenable, true)],
    ['WebCrypto', createWebCrypto()],
  ];

  it.each(providers)('gives the same claims and the same error codes with %s as with node:crypto', async (_, provider) => {
    const { jwt, given, family, token } = await baseline();
    const presentations = [
      await withKb(token),
      await withKb(joinSdJwt(await issuerJwt(vcPayload({ _sd: [given.digest] }), {}, stranger), [given])),
      await withKb(joinSdJwt(jwt, [given, given])),
      await withKb(token, { key: stranger }),
      await withKb(token, { payload: { nonce: 'stale' } }),
      joinSdJwt(jwt, [given]) + (await kbJwtFor(joinSdJwt(jwt, [given]), { sdHashOver: token })),
      joinSdJwt(jwt, [given, family]),
    ];
    const outcome = (options: VerifySdJwtOptions) => (presentation: string) =>
      verifySdJwt(presentation, options).then(
        ({ claims, disclosed, keyBinding }) => ({ claims, disclosed, keyBinding }),
        (error: TesseraError) => error.code,
      );
    const expected = await Promise.all(presentations.map(outcome(kbOptions())));
    expect(expected.slice(1)).toEqual([
      'invalid_signature',
      'duplicate_disclosure',
      'kb_invalid_signature',
      'kb_nonce_mismatch',
      'kb_sd_hash_mismatch',
      'kb_required',
    ]);
    expect(await Promise.all(presentations.map(outcome(kbOptions({ crypto: provider }))))).toEqual(expected);
    // A key resolver that answers with a promise takes the same path as a given key.
    const resolved = kbOptions({ crypto: provider, issuerKey: async () => issuer.publicJwk });
    expect(await Promise.all(presentations.map(outcome(resolved)))).toEqual(expected);
  });
});

describe('verifySdJwt algorithms', () => {
  /** Signs the baseline payload with a header claiming `alg`, using `sign` for the signature bytes. */
  async function withAlg(alg: unknown, sign: (input: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<string> {
    const { given, family } = await baseline();
    const payload = vcPayload({ _sd: [given.digest, family.digest] });
    const signingInput = `${encodeBase64UrlText(JSON.stringify({ alg, typ: VC_TYP }))}.${encodeBase64UrlText(JSON.stringify(payload))}`;
    return joinSdJwt(`${signingInput}.${encodeBase64Url(await sign(utf8(signingInput)))}`, [given, family]);
  }

  it('rejects alg "none" even when a genuine issuer signature is attached', async () => {
    const token = await withAlg('none', issuer.signingKey.sign);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'unsupported_algorithm', SECRETS);
  });

  it('rejects HS256 keyed with the issuer public key (algorithm confusion)', async () => {
    const secret = JSON.stringify(issuer.publicJwk);
    const token = await withAlg('HS256', (input) => createHmac('sha256', secret).update(input).digest());
    await expectFailure(verifySdJwt(token, noKbOptions()), 'unsupported_algorithm', SECRETS);
  });

  it('rejects RS256 even with a genuine RSA signature and the matching RSA key', async () => {
    const { privateKey, publicKey } = RSA;
    const token = await withAlg('RS256', (input) => nodeSign('sha256', input, privateKey));
    const rsaJwk = publicKey.export({ format: 'jwk' }) as JsonObject;
    await expectFailure(verifySdJwt(token, noKbOptions({ issuerKey: rsaJwk as never })), 'unsupported_algorithm', SECRETS);
  });

  it.each([['es256'], ['ES256K'], ['ES384'], [''], [256], [null]])(
    'rejects the algorithm %j that is not on the default allow-list',
    async (alg) => {
      const token = await withAlg(alg, issuer.signingKey.sign);
      await expectFailure(verifySdJwt(token, noKbOptions()), 'unsupported_algorithm', SECRETS);
    },
  );

  it('rejects a header without alg', async () => {
    const { given } = await baseline();
    const jwt = await signCompact({ typ: VC_TYP }, vcPayload({ _sd: [given.digest] }), issuer.signingKey.sign);
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'unsupported_algorithm');
  });

  it.each(['ES384', 'ES512', 'EdDSA'] as const)('accepts %s only when the caller allows it', async (alg) => {
    const key = await makeKey(alg);
    const token = await issueSdJwt({
      claims: { given_name: GIVEN },
      disclosable: [['given_name']],
      signingKey: key.signingKey,
      crypto,
      typ: VC_TYP,
    });
    const options = noKbOptions({ issuerKey: key.publicJwk });
    await expectFailure(verifySdJwt(token, options), 'unsupported_algorithm', SECRETS);
    const result = await verifySdJwt(token, { ...options, algorithms: [alg] });
    expect(result.claims).toEqual({ given_name: GIVEN });
  });

  it('rejects an allowed algorithm whose key has the wrong curve', async () => {
    const key = await makeKey('ES384');
    const jwt = await issuerJwt(vcPayload(), {}, key);
    await expectFailure(verifySdJwt(joinSdJwt(jwt, []), noKbOptions({ algorithms: ['ES256', 'ES384'] })), 'invalid_key');
  });
});

describe('verifySdJwt typ', () => {
  it.each([
    ['DC+SD-JWT'],
    ['Dc+Sd-Jwt'],
    ['application/dc+sd-jwt'],
    ['vc+sd-jwt'],
    ['dc+sd-jwt '],
    [''],
    [1],
    [['dc+sd-jwt']],
    [null],
  ])('rejects typ %j: the comparison is exact', async (typ) => {
    const { given } = await baseline();
    const token = await credential([given], {}, { typ: typ as never });
    await expectFailure(verifySdJwt(token, noKbOptions()), 'invalid_typ', SECRETS);
  });

  it('rejects a header without typ', async () => {
    const { given } = await baseline();
    const jwt = await signCompact({ alg: 'ES256' }, vcPayload({ _sd: [given.digest] }), issuer.signingKey.sign);
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'invalid_typ', SECRETS);
  });

  it('accepts any typ from a list the caller passes, and only those', async () => {
    const { given } = await baseline();
    const token = await credential([given], {}, { typ: 'example+sd-jwt' });
    await expect(verifySdJwt(token, noKbOptions({ typ: ['dc+sd-jwt', 'example+sd-jwt'] }))).resolves.toBeDefined();
    await expectFailure(verifySdJwt(token, noKbOptions({ typ: ['dc+sd-jwt'] })), 'invalid_typ');
  });
});

describe('verifySdJwt critical headers', () => {
  it.each([[['exp']], [[]], ['b64']])('rejects a header with crit %j (RFC 7515 §4.1.11)', async (crit) => {
    const { given } = await baseline();
    const token = await credential([given], {}, { crit, exp: NOW + 10 } as JsonObject);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'critical_header_unsupported', SECRETS);
  });
});

describe('verifySdJwt framing', () => {
  it('rejects a bare, validly signed JWT offered as an SD-JWT', async () => {
    const { jwt } = await baseline();
    await expectFailure(verifySdJwt(jwt, noKbOptions()), 'not_sd_jwt', SECRETS);
  });

  it('rejects the empty string as not an SD-JWT', async () => {
    await expectFailure(verifySdJwt('', noKbOptions()), 'not_sd_jwt');
  });

  it('rejects a value that is not a string', async () => {
    await expectFailure(verifySdJwt(42 as unknown as string, noKbOptions()), 'malformed_sd_jwt');
  });

  it.each([
    ['an empty issuer JWT', (_jwt: string, d: string) => `~${d}~`],
    ['an empty disclosure between two tildes', (jwt: string, d: string) => `${jwt}~~${d}~`],
    ['an empty disclosure before the final tilde', (jwt: string, d: string) => `${jwt}~${d}~~`],
    ['only tildes', () => '~~~'],
  ])('rejects %s as malformed', async (_, build) => {
    const { jwt, given } = await baseline();
    await expectFailure(verifySdJwt(build(jwt, given.encoded), noKbOptions()), 'malformed_sd_jwt', SECRETS);
  });

  it.each([
    ['a two-part JWS', (jwt: string) => jwt.slice(0, jwt.lastIndexOf('.'))],
    ['a four-part JWS', (jwt: string) => `${jwt}.AAAA`],
    ['an empty signature', (jwt: string) => `${jwt.slice(0, jwt.lastIndexOf('.'))}.`],
    ['an empty header', (jwt: string) => jwt.slice(jwt.indexOf('.'))],
    ['an empty payload', (jwt: string) => `${jwt.split('.')[0]}..${jwt.split('.')[2]}`],
    ['padding in the signature', (jwt: string) => `${jwt}==`],
    ['a standard base64 character in the payload', (jwt: string) => jwt.replace('.', '.+')],
    ['whitespace inside the header', (jwt: string) => ` ${jwt}`],
  ])('rejects %s as a malformed JWT', async (_, mangle) => {
    const { jwt, given } = await baseline();
    const token = joinSdJwt(mangle(jwt), [given]);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'malformed_jwt', SECRETS);
  });

  it.each([['[1,2]'], ['"a string"'], ['42'], ['null'], ['true'], ['{"unterminated":'], [' ']])(
    'rejects a signed payload %j that is not a JSON object',
    async (payloadText) => {
      const { given } = await baseline();
      const jwt = await issuerJwt(payloadText);
      await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'malformed_jwt');
    },
  );

  it('rejects a header that is a JSON array', async () => {
    const { given } = await baseline();
    const signingInput = `${encodeBase64UrlText('["ES256"]')}.${encodeBase64UrlText(JSON.stringify(vcPayload()))}`;
    const jwt = `${signingInput}.${encodeBase64Url(await issuer.signingKey.sign(utf8(signingInput)))}`;
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'malformed_jwt');
  });

  it('rejects a payload that is not valid UTF-8', async () => {
    const header = encodeBase64UrlText(JSON.stringify({ alg: 'ES256', typ: VC_TYP }));
    const signingInput = `${header}.${encodeBase64Url(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}`;
    const jwt = `${signingInput}.${encodeBase64Url(await issuer.signingKey.sign(utf8(signingInput)))}`;
    await expectFailure(verifySdJwt(`${jwt}~`, noKbOptions()), 'malformed_jwt');
  });
});

describe('verifySdJwt signature', () => {
  it('rejects a credential signed by another key', async () => {
    const { given } = await baseline();
    const jwt = await issuerJwt(vcPayload({ _sd: [given.digest] }), {}, stranger);
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'invalid_signature', SECRETS);
  });

  it('rejects a payload swapped under a valid signature', async () => {
    const { jwt, given } = await baseline();
    const [header, , signature] = jwt.split('.');
    const forged = encodeBase64UrlText(JSON.stringify(vcPayload({ _sd: [given.digest], iss: 'https://evil.example' })));
    await expectFailure(verifySdJwt(joinSdJwt(`${header}.${forged}.${signature}`, [given]), noKbOptions()), 'invalid_signature');
  });

  it('rejects a header swapped under a valid signature', async () => {
    const { jwt, given } = await baseline();
    const [, payload, signature] = jwt.split('.');
    const header = encodeBase64UrlText(JSON.stringify({ typ: VC_TYP, alg: 'ES256', kid: 'x' }));
    await expectFailure(verifySdJwt(joinSdJwt(`${header}.${payload}.${signature}`, [given]), noKbOptions()), 'invalid_signature');
  });

  it.each([
    ['all zeros', new Uint8Array(64)],
    ['one byte short', new Uint8Array(63).fill(7)],
    ['one byte long', new Uint8Array(65).fill(7)],
    ['DER-sized', new Uint8Array(72).fill(48)],
  ])('rejects a signature that is %s', async (_, bytes) => {
    const { jwt, given } = await baseline();
    const token = joinSdJwt(`${jwt.slice(0, jwt.lastIndexOf('.'))}.${encodeBase64Url(bytes)}`, [given]);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'invalid_signature', SECRETS);
  });
});

describe('verifySdJwt issuer key', () => {
  const rsa = RSA.publicKey.export({ format: 'jwk' });

  it.each([
    ['a P-384 key for ES256', async () => (await makeKey('ES384')).publicJwk],
    ['an Ed25519 key for ES256', async () => (await makeKey('EdDSA')).publicJwk],
    ['an RSA key', async () => rsa],
    ['a private key (with d)', async () => issuer.privateJwk],
    ['a key with a truncated x coordinate', async () => ({ ...issuer.publicJwk, x: issuer.publicJwk.x?.slice(1) })],
    ['a key without y', async () => ({ kty: 'EC', crv: 'P-256', x: issuer.publicJwk.x })],
    ['a point that is not on the curve', async () => ({ kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: 'A'.repeat(43) })],
    ['a string', async () => 'not a key'],
    ['null', async () => null],
    ['an array', async () => [issuer.publicJwk]],
  ])('rejects %s with invalid_key', async (_, makeJwk) => {
    const { token } = await baseline();
    const issuerKey = (await makeJwk()) as never;
    await expectFailure(verifySdJwt(token, noKbOptions({ issuerKey })), 'invalid_key', SECRETS);
  });

  it('passes only unverified hints to a key resolver and checks the key it returns', async () => {
    const { token } = await baseline();
    const seen: JsonObject[] = [];
    const result = await verifySdJwt(
      token,
      noKbOptions({
        issuerKey: ({ header, payload }) => {
          seen.push(header, payload);
          return issuer.publicJwk;
        },
      }),
    );
    expect(result.claims.given_name).toBe(GIVEN);
    // The resolver sees digests only, never the disclosed values.
    expect(JSON.stringify(seen)).not.toContain(GIVEN);
    await expectFailure(verifySdJwt(token, noKbOptions({ issuerKey: async () => stranger.publicJwk })), 'invalid_signature');
  });
});

describe('verifySdJwt disclosures', () => {
  async function withRaw(json: string): Promise<string> {
    const bad = await rawDisclosure(json);
    return credential([bad]);
  }

  it.each([
    ['one element', '["salt"]'],
    ['four elements', '["salt","given_name","Erika-SECRET-given-7f3a","extra"]'],
    ['no elements', '[]'],
    ['a JSON object', '{"salt":"s","given_name":"Erika-SECRET-given-7f3a"}'],
    ['a JSON string', '"Erika-SECRET-given-7f3a"'],
    ['a number salt', '[1,"given_name","Erika-SECRET-given-7f3a"]'],
    ['a null salt', '[null,"Erika-SECRET-given-7f3a"]'],
    ['an object salt', '[{},"Erika-SECRET-given-7f3a"]'],
    ['a number claim name', '["salt",5,"Erika-SECRET-given-7f3a"]'],
    ['a null claim name', '["salt",null,"Erika-SECRET-given-7f3a"]'],
    ['an array claim name', '["salt",["given_name"],"Erika-SECRET-given-7f3a"]'],
    ['text that is not JSON', 'salt,given_name,Erika-SECRET-given-7f3a'],
    ['truncated JSON', '["salt","given_name","Erika-SECRET'],
  ])('rejects a disclosure with %s', async (_, json) => {
    await expectFailure(verifySdJwt(await withRaw(json), noKbOptions()), 'malformed_disclosure', SECRETS);
  });

  it.each([
    ['standard base64 characters', 'WyJzYWx0Iiwi+/Y'],
    ['padding', 'WyJzYWx0IiwiYSIsMV0='],
    ['a length of 4n+1', 'WyJzYWx0IiwiYSIsMV0AA'],
    ['a dot', 'WyJzYWx0.IiwiYSIsMV0'],
    ['non-ASCII characters', 'WyJzYWx0IiwiYSIsMV0é'],
    ['non-canonical trailing bits', 'WyJzYWx0IiwiYSIsMV1'],
  ])('rejects a disclosure that is not base64url: %s', async (_, encoded) => {
    const token = joinSdJwt(await issuerJwt(vcPayload({ _sd: [await digest(encoded)] })), [encoded]);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'malformed_disclosure');
  });

  it('rejects a disclosure that is not valid UTF-8', async () => {
    const encoded = encodeBase64Url(new Uint8Array([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]));
    const token = joinSdJwt(await issuerJwt(vcPayload({ _sd: [await digest(encoded)] })), [encoded]);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'malformed_disclosure');
  });

  it.each([['_sd'], ['...'], ['_sd_alg']])('rejects a disclosure named %j (RFC 9901 §7.1 step 3, §4.1.1)', async (name) => {
    const bad = await disclosure(name, [GIVEN]);
    await expectFailure(verifySdJwt(await credential([bad]), noKbOptions()), 'forbidden_claim_name', SECRETS);
  });

  it('rejects an _sd_alg below the top level of the payload (RFC 9901 §4.1.1)', async () => {
    await expectFailure(
      verifySdJwt(await credential([], { address: { _sd_alg: 'sha-256', locality: GIVEN } }), noKbOptions()),
      'invalid_sd_structure',
      SECRETS,
    );
    const nested = await disclosure('address', { _sd_alg: 'sha-256', locality: GIVEN });
    await expectFailure(verifySdJwt(await credential([nested]), noKbOptions()), 'invalid_sd_structure', SECRETS);
  });

  it('rejects a disclosure that no digest references', async () => {
    const { jwt, given } = await baseline();
    const extra = await disclosure('nationality', 'DE-SECRET');
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given, extra]), noKbOptions()), 'disclosure_unreferenced', [
      ...SECRETS,
      'DE-SECRET',
    ]);
  });

  it('rejects a nested disclosure sent without the disclosure of its parent', async () => {
    const locality = await disclosure('locality', 'Berlin-SECRET');
    const address = await disclosure('address', { _sd: [locality.digest] });
    const token = await credentialWith([address, locality], [address]);
    await expect(verifySdJwt(token, noKbOptions())).resolves.toMatchObject({
      claims: { address: { locality: 'Berlin-SECRET' } },
    });
    const jwt = token.slice(0, token.indexOf('~'));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [locality]), noKbOptions()), 'disclosure_unreferenced', ['Berlin-SECRET']);
  });

  it('rejects a disclosure whose digest was computed with another hash algorithm', async () => {
    const given = await disclosure('given_name', GIVEN, { alg: 'sha-512' });
    await expectFailure(verifySdJwt(await credential([given]), noKbOptions()), 'disclosure_unreferenced', SECRETS);
  });

  it('rejects the same digest twice in one _sd array', async () => {
    const { given } = await baseline();
    const jwt = await issuerJwt(vcPayload({ _sd: [given.digest, given.digest] }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'duplicate_digest', SECRETS);
  });

  it('rejects the same decoy digest twice, even with no disclosure for it', async () => {
    const decoy = await digest('decoy');
    const jwt = await issuerJwt(vcPayload({ _sd: [decoy, decoy] }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, []), noKbOptions()), 'duplicate_digest');
  });

  it('rejects a digest that appears in _sd and in two different objects', async () => {
    const { given } = await baseline();
    const jwt = await issuerJwt(vcPayload({ _sd: [given.digest], address: { _sd: [given.digest] } }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]), noKbOptions()), 'duplicate_digest', SECRETS);
  });

  it('rejects a digest that appears once in _sd and once as an array placeholder', async () => {
    const element = await disclosure(undefined, 'DE');
    const jwt = await issuerJwt(vcPayload({ _sd: [element.digest], nationalities: [{ '...': element.digest }] }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [element]), noKbOptions()), 'duplicate_digest');
  });

  it('rejects a digest that appears twice as an array placeholder', async () => {
    const element = await disclosure(undefined, 'DE');
    const jwt = await issuerJwt(vcPayload({ nationalities: [{ '...': element.digest }, { '...': element.digest }] }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [element]), noKbOptions()), 'duplicate_digest');
  });

  it('rejects a digest repeated inside a disclosed value', async () => {
    const { given } = await baseline();
    const address = await disclosure('address', { _sd: [given.digest] });
    const token = await credential([given, address]);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'duplicate_digest', SECRETS);
  });

  it('rejects two disclosed objects that reference the same nested digest', async () => {
    const inner = await disclosure('locality', 'Berlin');
    const a = await disclosure('a', { _sd: [inner.digest] });
    const b = await disclosure('b', { _sd: [inner.digest] });
    await expectFailure(verifySdJwt(await credentialWith([a, b, inner], [a, b]), noKbOptions()), 'duplicate_digest');
  });

  it('rejects the same disclosure string twice', async () => {
    const { jwt, given, family } = await baseline();
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given, family, given]), noKbOptions()), 'duplicate_disclosure', SECRETS);
  });

  it('rejects a disclosed name that collides with a claim in the clear', async () => {
    const given = await disclosure('given_name', GIVEN);
    const token = await credential([given], { given_name: 'plain' });
    await expectFailure(verifySdJwt(token, noKbOptions()), 'claim_collision', SECRETS);
  });

  it('rejects two disclosures that carry the same claim name at one level', async () => {
    const one = await disclosure('given_name', GIVEN);
    const two = await disclosure('given_name', FAMILY);
    await expectFailure(verifySdJwt(await credential([one, two]), noKbOptions()), 'claim_collision', SECRETS);
  });

  it('rejects a collision inside a disclosed object', async () => {
    const locality = await disclosure('locality', 'Berlin-SECRET');
    const address = await disclosure('address', { locality: 'Hamburg-SECRET', _sd: [locality.digest] });
    await expectFailure(verifySdJwt(await credentialWith([address, locality], [address]), noKbOptions()), 'claim_collision', [
      'Berlin-SECRET',
      'Hamburg-SECRET',
    ]);
  });

  it('rejects a disclosure named _sd_alg beside the top-level _sd_alg as a reserved name', async () => {
    const sdAlg = await disclosure('_sd_alg', 'sha-256');
    await expectFailure(verifySdJwt(await credential([sdAlg], { _sd_alg: 'sha-256' }), noKbOptions()), 'forbidden_claim_name');
  });

  it('reports the concrete path of every disclosed claim, array elements and nested claims included, children first', async () => {
    const locality = await disclosure('locality', 'Bologna');
    const address = await disclosure('address', { _sd: [locality.digest], country: 'IT' });
    const first = await disclosure(undefined, 'DE');
    const city = await disclosure('city', 'Rome');
    const third = await disclosure(undefined, { _sd: [city.digest] });
    const decoy = await disclosure(undefined, 'never sent');
    const token = await credentialWith([locality, address, first, city, third], [address], {
      nationalities: [{ '...': first.digest }, { '...': decoy.digest }, 'FR', { '...': third.digest }],
      deep: { list: [[{ inner: 1 }]] },
    });

    const { claims, disclosed } = await verifySdJwt(token, noKbOptions());

    expect(claims.nationalities).toEqual(['DE', 'FR', { city: 'Rome' }]);
    expect(claims.address).toEqual({ country: 'IT', locality: 'Bologna' });
    expect(claims.deep).toEqual({ list: [[{ inner: 1 }]] });
    expect(disclosed).toEqual([
      ['nationalities', 0],
      ['nationalities', 2, 'city'],
      ['nationalities', 2],
      ['address', 'locality'],
      ['address'],
    ]);
  });

  it('accepts inherited Object.prototype names as claims without polluting any prototype', async () => {
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
    const disclosures = await Promise.all(names.map((name) => disclosure(name, { polluted: true })));
    const nestedProto = await disclosure('nested', JSON.parse('{"__proto__":{"polluted":true},"ok":1}'));
    const element = await disclosure(undefined, JSON.parse('{"__proto__":{"polluted":true}}'));
    const token = await credentialWith([...disclosures, nestedProto, element], [...disclosures, nestedProto], {
      list: [{ '...': element.digest }],
    });

    const { claims, disclosed } = await verifySdJwt(token, noKbOptions());

    for (const name of names) {
      expect(Object.getOwnPropertyDescriptor(claims, name)?.value).toEqual({ polluted: true });
    }
    expect(disclosed).toHaveLength(names.length + 2);
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(claims.nested)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(claims.nested, '__proto__')?.value).toEqual({ polluted: true });
    expect(Object.getPrototypeOf((claims.list as JsonObject[])[0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
    expect(typeof Object.prototype.toString).toBe('function');
    expect(typeof Object.prototype.hasOwnProperty).toBe('function');
  });

  it.each([
    ['_sd is a string', { _sd: 'digest' }],
    ['_sd is an object', { _sd: { a: 'digest' } }],
    ['_sd is null', { _sd: null }],
    ['_sd holds a number', { _sd: [1] }],
    ['_sd holds null', { _sd: [null] }],
    ['_sd holds an array', { _sd: [['digest']] }],
    ['a nested _sd is not an array', { address: { _sd: 'digest' } }],
    ['an array placeholder has a number digest', { list: [{ '...': 5 }] }],
    ['an array placeholder has a null digest', { list: [{ '...': null }] }],
    ['an array placeholder has an extra member', { list: [{ '...': 'digest', x: 1 }] }],
  ])('rejects a payload where %s', async (_, payload) => {
    const jwt = await issuerJwt(vcPayload(payload as JsonObject));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, []), noKbOptions()), 'invalid_sd_structure');
  });

  it('rejects an array placeholder with an extra member even when its digest is real', async () => {
    const element = await disclosure(undefined, GIVEN);
    const jwt = await issuerJwt(vcPayload({ list: [{ '...': element.digest, x: 1 }] }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [element]), noKbOptions()), 'invalid_sd_structure', SECRETS);
  });

  it('rejects an array-element disclosure referenced from _sd', async () => {
    const element = await disclosure(undefined, GIVEN);
    await expectFailure(verifySdJwt(await credential([element]), noKbOptions()), 'invalid_sd_structure', SECRETS);
  });

  it('rejects an object-property disclosure referenced from an array placeholder', async () => {
    const property = await disclosure('given_name', GIVEN);
    const jwt = await issuerJwt(vcPayload({ list: [{ '...': property.digest }] }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [property]), noKbOptions()), 'invalid_sd_structure', SECRETS);
  });

  it('rejects a malformed _sd inside a disclosed value', async () => {
    const address = await disclosure('address', { _sd: [42] });
    await expectFailure(verifySdJwt(await credential([address]), noKbOptions()), 'invalid_sd_structure');
  });

  it.each([['md5'], ['sha-1'], ['SHA-256'], ['sha256'], [256], [null], [['sha-256']]])('rejects _sd_alg %j', async (alg) => {
    const { given } = await baseline();
    const token = await credential([given], { _sd_alg: alg as never });
    await expectFailure(verifySdJwt(token, noKbOptions()), 'unsupported_hash_algorithm', SECRETS);
  });

  it.each(['sha-384', 'sha-512'] as const)('accepts _sd_alg %s end to end, including sd_hash', async (alg) => {
    const issued = await issueSdJwtVc({
      issuer: 'https://issuer.example',
      vct: 'https://credentials.example/id',
      claims: { given_name: GIVEN, family_name: FAMILY },
      disclosable: [['given_name'], ['family_name']],
      holderKey: holder.publicJwk,
      signingKey: issuer.signingKey,
      crypto,
      hashAlgorithm: alg,
      issuedAt: NOW,
    });
    const presentation = await presentSdJwt(issued, {
      disclose: [['given_name']],
      crypto,
      keyBinding: { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW },
    });
    const kbPayload = JSON.parse(Buffer.from(presentation.split('.').at(-2) as string, 'base64url').toString());
    expect(kbPayload.sd_hash).toBe(await digest(presentation.slice(0, presentation.lastIndexOf('~') + 1), alg));
    const { claims } = await verifySdJwt(presentation, kbOptions());
    expect(claims.given_name).toBe(GIVEN);
    expect(claims).not.toHaveProperty('family_name');
  });
});

describe('verifySdJwt time claims', () => {
  async function timed(payload: JsonObject): Promise<string> {
    const { given } = await baseline();
    return credential([given], { iat: NOW - 100, exp: NOW + 100, ...payload });
  }

  it.each([
    ['exp', '2030-01-01'],
    ['exp', null],
    ['exp', { seconds: 1 }],
    ['nbf', String(NOW - 10)],
    ['iat', true],
  ])('rejects a non-numeric %s claim', async (name, value) => {
    await expectFailure(verifySdJwt(await timed({ [name]: value as never }), noKbOptions()), 'invalid_time_claim', SECRETS);
  });

  it('rejects an exp that overflows to Infinity (1e400) instead of treating it as never expiring', async () => {
    const { given } = await baseline();
    const text = JSON.stringify(vcPayload({ _sd: [given.digest] })).replace(/"exp":\d+/, '"exp":1e400');
    const token = joinSdJwt(await issuerJwt(text), [given]);
    await expectFailure(verifySdJwt(token, noKbOptions()), 'invalid_time_claim', SECRETS);
  });

  it('treats exp equal to now as expired', async () => {
    await expectFailure(verifySdJwt(await timed({ exp: NOW }), noKbOptions()), 'expired', SECRETS);
  });

  it('rejects exp in the past and accepts exp one second ahead', async () => {
    await expectFailure(verifySdJwt(await timed({ exp: NOW - 1 }), noKbOptions()), 'expired', SECRETS);
    await expect(verifySdJwt(await timed({ exp: NOW + 1 }), noKbOptions())).resolves.toBeDefined();
  });

  it('rejects nbf in the future and accepts nbf equal to now', async () => {
    await expectFailure(verifySdJwt(await timed({ nbf: NOW + 1 }), noKbOptions()), 'not_yet_valid', SECRETS);
    await expect(verifySdJwt(await timed({ nbf: NOW }), noKbOptions())).resolves.toBeDefined();
  });

  it('rejects iat in the future', async () => {
    await expectFailure(verifySdJwt(await timed({ iat: NOW + 1 }), noKbOptions()), 'issued_in_future', SECRETS);
  });

  it('honours a 60 second clock tolerance exactly at the boundary', async () => {
    const tolerant = noKbOptions({ clockTolerance: 60 });
    await expect(verifySdJwt(await timed({ exp: NOW - 59 }), tolerant)).resolves.toBeDefined();
    await expectFailure(verifySdJwt(await timed({ exp: NOW - 60 }), tolerant), 'expired');
    await expect(verifySdJwt(await timed({ nbf: NOW + 60 }), tolerant)).resolves.toBeDefined();
    await expectFailure(verifySdJwt(await timed({ nbf: NOW + 61 }), tolerant), 'not_yet_valid');
    await expect(verifySdJwt(await timed({ iat: NOW + 60 }), tolerant)).resolves.toBeDefined();
    await expectFailure(verifySdJwt(await timed({ iat: NOW + 61 }), tolerant), 'issued_in_future');
  });

  it.each([[61], [-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['5']])(
    'refuses a clock tolerance of %j as a programmer mistake',
    async (clockTolerance) => {
      const { token } = await baseline();
      await expect(verifySdJwt(token, noKbOptions({ clockTolerance: clockTolerance as number }))).rejects.toThrow(TypeError);
    },
  );

  it('checks time claims that arrive in a disclosure of a plain SD-JWT', async () => {
    const exp = await disclosure('exp', NOW - 1);
    const jwt = await issuerJwt({ iss: 'https://issuer.example', _sd: [exp.digest] }, { typ: 'example+sd-jwt' });
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [exp]), noKbOptions({ typ: 'example+sd-jwt' })), 'expired');
  });
});

describe('verifySdJwt key binding', () => {
  it('fails with kb_required when key binding is required but the presentation ends in ~', async () => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(token, kbOptions()), 'kb_required', SECRETS);
  });

  it('fails with kb_forbidden when a KB-JWT is present but not expected', async () => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token), noKbOptions()), 'kb_forbidden', SECRETS);
  });

  it.each([
    ['a missing audience', { audience: undefined }],
    ['a missing nonce', { nonce: undefined }],
  ])('refuses required key binding with %s as a programmer mistake', async (_, extra) => {
    const { token } = await baseline();
    const options = { ...kbOptions(), ...extra } as never;
    await expect(verifySdJwt(await withKb(token), options)).rejects.toThrow(TypeError);
  });

  it('refuses an unknown key binding policy as a programmer mistake', async () => {
    const { token } = await baseline();
    await expect(verifySdJwt(token, noKbOptions({ keyBinding: 'optional' as never }))).rejects.toThrow(TypeError);
  });

  it.each([['JWT'], ['KB+JWT'], ['application/kb+jwt'], ['dc+sd-jwt'], [null]])('rejects a KB-JWT with typ %j', async (typ) => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token, { header: { typ } }), kbOptions()), 'kb_invalid_typ', SECRETS);
  });

  it('rejects a KB-JWT without typ', async () => {
    const { token } = await baseline();
    const kb = await signCompact(
      { alg: 'ES256' },
      { iat: NOW, aud: AUDIENCE, nonce: NONCE, sd_hash: await digest(token) },
      holder.signingKey.sign,
    );
    await expectFailure(verifySdJwt(token + kb, kbOptions()), 'kb_invalid_typ');
  });

  it('rejects a KB-JWT whose alg is none, even with a genuine holder signature', async () => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token, { header: { alg: 'none' } }), kbOptions()), 'unsupported_algorithm');
  });

  it('rejects a KB-JWT with a crit header', async () => {
    const { token } = await baseline();
    await expectFailure(
      verifySdJwt(await withKb(token, { header: { crit: ['x'] } }), kbOptions()),
      'critical_header_unsupported',
    );
  });

  it.each([
    ['another key', () => stranger],
    ['the issuer key', () => issuer],
  ])('rejects a KB-JWT signed by %s', async (_, key) => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token, { key: key() }), kbOptions()), 'kb_invalid_signature', SECRETS);
  });

  it.each([['https://evil.example'], [''], [null], [[AUDIENCE]], [`${AUDIENCE}/`]])(
    'rejects a KB-JWT with aud %j',
    async (aud) => {
      const { token } = await baseline();
      await expectFailure(verifySdJwt(await withKb(token, { payload: { aud } }), kbOptions()), 'kb_aud_mismatch', SECRETS);
    },
  );

  it.each([['other-nonce'], [''], [null], [42], [NONCE.toUpperCase()]])('rejects a KB-JWT with nonce %j', async (nonce) => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token, { payload: { nonce } }), kbOptions()), 'kb_nonce_mismatch', SECRETS);
  });

  it.each([
    ['older than kbMaxAge', NOW - 301],
    ['in the future', NOW + 1],
    ['a string', String(NOW)],
    ['null', null],
    ['in milliseconds', NOW * 1000],
  ])('rejects a KB-JWT whose iat is %s', async (_, iat) => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token, { payload: { iat } }), kbOptions()), 'kb_iat_invalid', SECRETS);
  });

  it('rejects a KB-JWT whose iat overflows to -Infinity (-1e400)', async () => {
    const { token } = await baseline();
    const payloadText = JSON.stringify({ iat: 0, aud: AUDIENCE, nonce: NONCE, sd_hash: await digest(token) }).replace(
      '"iat":0',
      '"iat":-1e400',
    );
    const kb = await signCompact({ alg: 'ES256', typ: 'kb+jwt' }, payloadText, holder.signingKey.sign);
    await expectFailure(verifySdJwt(token + kb, kbOptions()), 'kb_iat_invalid');
  });

  it('accepts a KB-JWT exactly kbMaxAge old and honours clock tolerance and kbMaxAge options', async () => {
    const { token } = await baseline();
    const at = async (iat: number): Promise<string> => withKb(token, { payload: { iat } });
    await expect(verifySdJwt(await at(NOW - 300), kbOptions())).resolves.toBeDefined();
    await expect(verifySdJwt(await at(NOW + 60), kbOptions({ clockTolerance: 60 }))).resolves.toBeDefined();
    await expectFailure(verifySdJwt(await at(NOW + 61), kbOptions({ clockTolerance: 60 })), 'kb_iat_invalid');
    await expect(verifySdJwt(await at(NOW - 360), kbOptions({ clockTolerance: 60 }))).resolves.toBeDefined();
    await expectFailure(verifySdJwt(await at(NOW - 361), kbOptions({ clockTolerance: 60 })), 'kb_iat_invalid');
    await expectFailure(verifySdJwt(await at(NOW - 11), kbOptions({ kbMaxAge: 10 })), 'kb_iat_invalid');
  });

  it('rejects a KB-JWT whose sd_hash covers a different disclosure set', async () => {
    const { jwt, given, family } = await baseline();
    const presented = joinSdJwt(jwt, [given]);
    const kb = await kbJwtFor(presented, { sdHashOver: joinSdJwt(jwt, [given, family]) });
    await expectFailure(verifySdJwt(presented + kb, kbOptions()), 'kb_sd_hash_mismatch', SECRETS);
  });

  it('rejects a presentation where a disclosure was added after the KB-JWT was signed', async () => {
    const { jwt, given, family } = await baseline();
    const kb = await kbJwtFor(joinSdJwt(jwt, [given]));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given, family]) + kb, kbOptions()), 'kb_sd_hash_mismatch', SECRETS);
  });

  it('rejects a presentation where a disclosure was dropped after the KB-JWT was signed', async () => {
    const { jwt, given, family } = await baseline();
    const kb = await kbJwtFor(joinSdJwt(jwt, [given, family]));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [given]) + kb, kbOptions()), 'kb_sd_hash_mismatch', SECRETS);
  });

  it('rejects a presentation whose disclosures were reordered after the KB-JWT was signed', async () => {
    const { jwt, given, family } = await baseline();
    const kb = await kbJwtFor(joinSdJwt(jwt, [given, family]));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [family, given]) + kb, kbOptions()), 'kb_sd_hash_mismatch');
  });

  it.each([
    ['the string without its final tilde', (s: string) => s.slice(0, -1)],
    ['the issuer JWT alone', (s: string) => s.slice(0, s.indexOf('~'))],
  ])('rejects an sd_hash computed over %s', async (_, over) => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(await withKb(token, { sdHashOver: over(token) }), kbOptions()), 'kb_sd_hash_mismatch');
  });

  it.each([
    ['missing', undefined],
    ['a number', 1],
    ['computed with sha-512', 'sha-512'],
  ])('rejects an sd_hash that is %s', async (_, variant) => {
    const { token } = await baseline();
    const sdHash = variant === 'sha-512' ? await digest(token, 'sha-512') : variant;
    const payload: JsonObject = { iat: NOW, aud: AUDIENCE, nonce: NONCE };
    if (sdHash !== undefined) payload.sd_hash = sdHash;
    const kb = await signCompact({ alg: 'ES256', typ: 'kb+jwt' }, payload, holder.signingKey.sign);
    await expectFailure(verifySdJwt(token + kb, kbOptions()), 'kb_sd_hash_mismatch');
  });

  it.each([
    ['no cnf', { cnf: undefined }],
    ['a cnf without jwk', { cnf: { kid: 'holder-key' } }],
    ['a cnf.jwk that is a string', { cnf: { jwk: 'holder-key' } }],
    ['a cnf that is a string', { cnf: 'holder-key' }],
  ])('rejects key binding for a credential with %s', async (_, payload) => {
    const given = await disclosure('given_name', GIVEN);
    const raw = vcPayload({ _sd: [given.digest], ...(payload as JsonObject) });
    if (raw.cnf === undefined) delete raw.cnf;
    const token = joinSdJwt(await issuerJwt(raw), [given]);
    await expectFailure(verifySdJwt(await withKb(token), kbOptions()), 'kb_missing_cnf', SECRETS);
  });

  it.each([
    ['one segment', 'abc'],
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['bad base64url', 'ey+.ey/.AA='],
    ['a JSON array payload', `${encodeBase64UrlText('{"alg":"ES256","typ":"kb+jwt"}')}.${encodeBase64UrlText('[1]')}.AAAA`],
  ])('rejects a KB-JWT made of %s as kb_malformed', async (_, kb) => {
    const { token } = await baseline();
    await expectFailure(verifySdJwt(token + kb, kbOptions()), 'kb_malformed', SECRETS);
  });
});

describe('verifySdJwt limits', () => {
  it('rejects a token longer than maxLength before parsing it', async () => {
    const { token } = await baseline();
    await expect(verifySdJwt(token, noKbOptions({ limits: { maxLength: token.length } }))).resolves.toBeDefined();
    await expectFailure(verifySdJwt(token, noKbOptions({ limits: { maxLength: token.length - 1 } })), 'token_too_large');
    await expectFailure(verifySdJwt('a'.repeat(256 * 1024 + 1), noKbOptions()), 'token_too_large');
  });

  it('rejects more disclosures than maxDisclosures', async () => {
    const { token } = await baseline();
    await expect(verifySdJwt(token, noKbOptions({ limits: { maxDisclosures: 2 } }))).resolves.toBeDefined();
    await expectFailure(verifySdJwt(token, noKbOptions({ limits: { maxDisclosures: 1 } })), 'too_many_disclosures');
    await expectFailure(verifySdJwt(`x${'~a'.repeat(1025)}~`, noKbOptions()), 'too_many_disclosures');
  });

  function nested(depth: number): JsonObject {
    let value: JsonObject = { leaf: 1 };
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  }

  it('rejects a payload nested deeper than maxDepth', async () => {
    const shallow = await issuerJwt(vcPayload({ deep: nested(2) }));
    await expect(verifySdJwt(`${shallow}~`, noKbOptions({ limits: { maxDepth: 5 } }))).resolves.toBeDefined();
    const deep = await issuerJwt(vcPayload({ deep: nested(10) }));
    await expectFailure(verifySdJwt(`${deep}~`, noKbOptions({ limits: { maxDepth: 5 } })), 'nesting_too_deep');
  });

  it('rejects a disclosed value nested deeper than maxDepth', async () => {
    const deep = await disclosure('deep', nested(10));
    await expectFailure(verifySdJwt(await credential([deep]), noKbOptions({ limits: { maxDepth: 5 } })), 'nesting_too_deep');
  });

  it('rejects a shallow disclosed value that lands too deep in the payload', async () => {
    const leaf = await disclosure('leaf', { a: { b: 1 } });
    let payload: JsonObject = { _sd: [leaf.digest] };
    for (let i = 0; i < 4; i++) payload = { a: payload };
    const jwt = await issuerJwt(vcPayload({ deep: payload }));
    await expectFailure(verifySdJwt(joinSdJwt(jwt, [leaf]), noKbOptions({ limits: { maxDepth: 6 } })), 'nesting_too_deep');
  });

  it('rejects thousands of nesting levels with nesting_too_deep, not a stack overflow', async () => {
    const depth = 20_000;
    const payloadText = `{"iss":"https://issuer.example","vct":"t","deep":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const jwt = await issuerJwt(payloadText);
    await expectFailure(verifySdJwt(`${jwt}~`, noKbOptions()), 'nesting_too_deep');
    const deepDisclosure = await rawDisclosure(`["salt","deep",${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]`);
    await expectFailure(verifySdJwt(await credential([deepDisclosure]), noKbOptions()), 'nesting_too_deep');
  });

  it.each([[0], [-1], [1.5], [Number.NaN]])('refuses a limit of %j as a programmer mistake', async (value) => {
    const { token } = await baseline();
    await expect(verifySdJwt(token, noKbOptions({ limits: { maxDepth: value } }))).rejects.toThrow(TypeError);
  });
});

describe('verifySdJwt all or nothing', () => {
  it('rejects without any partial result when only the last check (the KB-JWT nonce) fails', async () => {
    const { token } = await baseline();
    const presentation = await withKb(token, { payload: { nonce: 'stale' } });
    let partial: unknown;
    const error = await verifySdJwt(presentation, kbOptions()).then(
      (result) => {
        partial = result;
      },
      (caught: unknown) => caught,
    );
    expect(partial).toBeUndefined();
    expect(error).toBeInstanceOf(TesseraError);
    expect((error as TesseraError).code).toBe('kb_nonce_mismatch');
    // The error carries no claims, not even in its cause.
    const everything = JSON.stringify(error, Object.getOwnPropertyNames(error as object));
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
  });

  it('returns nothing for any failing stage, from framing to key binding', async () => {
    const { jwt, given, token } = await baseline();
    const failing: string[] = [
      jwt,
      `${jwt}~~`,
      joinSdJwt(await issuerJwt(vcPayload({ _sd: [given.digest] }), {}, stranger), [given]),
      joinSdJwt(jwt, [given, given]),
      await credential([given], { exp: NOW }),
      await withKb(token, { payload: { aud: 'x' } }),
    ];
    for (const presentation of failing) {
      const outcome = await verifySdJwt(presentation, kbOptions()).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      expect(outcome).not.toHaveProperty('value');
      expect((outcome as { error: unknown }).error).toBeInstanceOf(TesseraError);
    }
  });
});
