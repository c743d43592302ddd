/**
 * RFC 9901 known answers: every example of the working group's example set (see
 * test-vectors/README.md) is decoded, verified, and re-presented here. A disagreement is a bug in
 * our code, not in the vector.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ClaimPath } from '../claim-path/claim-path.ts';
import { nodeCrypto, nodeSigningKey } from '../crypto/node.ts';
import type { CryptoProvider, Jwk } from '../crypto/types.ts';
import { webCrypto } from '../crypto/web.ts';
import { decodeJws } from '../jws/compact.ts';
import { decodeSdJwt, resolveDecoded } from './decode.ts';
import { decodeDisclosure, digestOf } from './disclosure.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { presentSdJwt } from './present.ts';
import { verifySdJwt } from './verify.ts';

const root = new URL('../../test-vectors/sd-jwt-rfc9901/', import.meta.url);
const read = (example: string, file: string): string => readFileSync(new URL(`${example}/${file}`, root), 'utf8');
const readJson = (example: string, file: string): unknown => JSON.parse(read(example, file));
const has = (example: string, file: string): boolean => existsSync(new URL(`${example}/${file}`, root));
/** The vector files are line-wrapped; the tokens themselves contain no whitespace. */
const unwrap = (text: string): string => text.replace(/\s+/g, '');

const settings = parseYaml(readFileSync(new URL('settings.yml', root), 'utf8')) as {
  key_settings: { issuer_keys: Jwk[]; holder_key: Jwk };
  key_binding_nonce: string;
  identifiers: { verifier: string };
  iat: number;
};
const issuerPrivate = settings.key_settings.issuer_keys[0] as Jwk;
const { d: _issuerD, ...issuerKey } = issuerPrivate;
const holderPrivate = settings.key_settings.holder_key;

const examples = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

/**
 * Parses disclosures.md: each entry's SHA-256 hash, disclosure string and contents. The contents
 * are Python-style JSON wrapped at a fixed width (sometimes inside a token, sometimes at a space
 * it drops), so they are kept as text without whitespace and compared in that form.
 */
function listedDisclosures(example: string): { digest: string; disclosure: string; contents: string }[] {
  const entries = read(example, 'disclosures.md')
    .split(/\n(?=__)/)
    .filter((block) => block.startsWith('__'));
  return entries.map((block) => {
    const digest = /SHA-256 Hash: `([^`]+)`/.exec(block)?.[1];
    const disclosurePart = /Disclosure:\\\n([\s\S]*?)\n \* Contents:/.exec(block)?.[1];
    const contentsPart = /Contents:\n([\s\S]*)$/.exec(block.trim())?.[1];
    if (digest === undefined || disclosurePart === undefined || contentsPart === undefined) {
      throw new Error(`Unreadable disclosures.md entry in ${example}`);
    }
    const segments = (text: string): string[] => [...text.matchAll(/`([^`]*)`/g)].map((m) => m[1] as string);
    return {
      digest,
      disclosure: segments(disclosurePart).join(''),
      contents: segments(contentsPart).join('').replace(/\s+/g, ''),
    };
  });
}

/** JSON with non-ASCII characters escaped as \uXXXX, as Python's json.dumps writes it. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const providers: [string, CryptoProvider][] = [
  ['node:crypto', nodeCrypto],
  ['WebCrypto', webCrypto],
];

// The team keeps the vectors in shared/vectors beside the repository; the repository carries a copy
// so a fresh clone tests without it. When both are present they must agree byte for byte.
const teamVectors = new URL('../../../../../shared/vectors/', import.meta.url);
it.skipIf(!existsSync(teamVectors))('keeps its copy of the vectors identical to the team vectors', () => {
  const list = (dir: URL, prefix = ''): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? list(new URL(`${entry.name}/`, dir), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
    );
  const ours = new URL('../../test-vectors/', import.meta.url);
  const files = list(teamVectors).sort();
  expect(list(ours).sort()).toEqual(files);
  for (const file of files) {
    expect(readFileSync(new URL(file, ours), 'utf8'), file).toBe(readFileSync(new URL(file, teamVectors), 'utf8'));
  }
});

it('covers every example folder of the vector set', () => {
  expect(examples.length).toBeGreaterThanOrEqual(13);
  for (const example of examples) {
    for (const file of ['sd_jwt_issuance.txt', 'sd_jwt_presentation.txt', 'verified_contents.json', 'disclosures.md']) {
      expect(has(example, file), `${example}/${file}`).toBe(true);
    }
  }
});

describe.each(examples)('RFC 9901 example %s', (example) => {
  const issuance = unwrap(read(example, 'sd_jwt_issuance.txt'));
  const presentation = unwrap(read(example, 'sd_jwt_presentation.txt'));
  const typ = decodeJws(unwrap(read(example, 'sd_jwt_jws_part.txt'))).header.typ as string;
  const withKeyBinding = has(example, 'kb_jwt_payload.json');

  it('decodes the issuer-signed JWT to the listed payload', () => {
    const jws = decodeJws(unwrap(read(example, 'sd_jwt_jws_part.txt')));
    expect(jws.payload).toEqual(readJson(example, 'sd_jwt_payload.json'));
    expect(issuance.startsWith(`${jws.signingInput}.`)).toBe(true);
  });

  it.each(providers)('computes every listed disclosure digest and content (%s)', async (_name, crypto) => {
    const listed = listedDisclosures(example);
    expect(listed.length).toBeGreaterThan(0);
    for (const entry of listed) {
      // Both the provider's one-step digest (where it has one) and the generic hash path.
      expect(await digestOf(entry.disclosure, 'sha-256', crypto)).toBe(entry.digest);
      expect(await digestOf(entry.disclosure, 'sha-256', { hash: crypto.hash })).toBe(entry.digest);
      const decoded = decodeDisclosure(entry.disclosure, DEFAULT_LIMITS.maxDepth);
      const array = decoded.name === undefined ? [decoded.salt, decoded.value] : [decoded.salt, decoded.name, decoded.value];
      expect(asciiJson(array).replace(/\s+/g, '')).toBe(entry.contents);
      expect(issuance).toContain(`~${entry.disclosure}~`);
    }
  });

  it.each(providers)('verifies the issued SD-JWT with every disclosure (%s)', async (_name, crypto) => {
    const result = await verifySdJwt(issuance, {
      issuerKey,
      crypto,
      typ,
      keyBinding: 'forbidden',
      clock: () => settings.iat * 1000,
    });
    const userClaims = readJson(example, 'user_claims.json') as Record<string, unknown>;
    for (const [name, value] of Object.entries(userClaims)) expect(result.claims[name], name).toEqual(value);
  });

  it.each(providers)('verifies the presentation to exactly the verified contents (%s)', async (_name, crypto) => {
    const kb = withKeyBinding
      ? (readJson(example, 'kb_jwt_payload.json') as { iat: number; aud: string; nonce: string })
      : undefined;
    const result = await verifySdJwt(presentation, {
      issuerKey,
      crypto,
      typ,
      clock: () => (kb?.iat ?? settings.iat) * 1000,
      ...(kb ? { keyBinding: 'required' as const, audience: kb.aud, nonce: kb.nonce } : { keyBinding: 'forbidden' as const }),
    });
    expect(result.claims).toEqual(readJson(example, 'verified_contents.json'));
    if (kb) {
      expect(presentation.endsWith(unwrap(read(example, 'kb_jwt_serialized.txt')))).toBe(true);
      expect(result.keyBinding?.payload).toEqual(kb);
      expect(result.keyBinding?.header).toEqual(readJson(example, 'kb_jwt_header.json'));
    }
  });

  it('re-presents the same disclosures from the issued SD-JWT, with a KB-JWT that verifies', async () => {
    // Tessera discloses a claim whole (its parents and its entire value, as OpenID4VP claims
    // paths mean); the vector generator may disclose an object without its nested claims. So we
    // ask for the deepest claims the vector disclosed and expect those plus their subtrees.
    const decoded = decodeSdJwt(issuance, DEFAULT_LIMITS);
    const { disclosed } = await resolveDecoded(decoded, nodeCrypto, DEFAULT_LIMITS);
    const shown = new Set(decodeSdJwt(presentation, DEFAULT_LIMITS).parts.disclosures);
    const shownPaths = disclosed.filter(({ index }) => shown.has(decoded.parts.disclosures[index] as string)).map((d) => d.path);
    const isPrefix = (a: ClaimPath, b: ClaimPath): boolean => a.length <= b.length && a.every((step, i) => step === b[i]);
    const leaves = shownPaths.filter((path) => !shownPaths.some((other) => other.length > path.length && isPrefix(path, other)));
    const expected = new Set(shown);
    for (const { path, index } of disclosed) {
      if (leaves.some((leaf) => isPrefix(leaf, path))) expected.add(decoded.parts.disclosures[index] as string);
    }

    const nonce = settings.key_binding_nonce;
    const audience = settings.identifiers.verifier;
    const ours = await presentSdJwt(issuance, {
      disclose: leaves,
      crypto: nodeCrypto,
      keyBinding: { signingKey: nodeSigningKey(holderPrivate, 'ES256'), audience, nonce, issuedAt: settings.iat },
    });
    expect(new Set(decodeSdJwt(ours, DEFAULT_LIMITS).parts.disclosures)).toEqual(expected);

    // Some examples bind a placeholder RSA key that cannot sign; check the KB-JWT where the
    // holder key of settings.yml is the bound one.
    const cnf = decodeJws(issuance.split('~')[0] as string).payload.cnf as { jwk?: Jwk } | undefined;
    if (cnf?.jwk?.x === holderPrivate.x) {
      const verified = await verifySdJwt(ours, {
        issuerKey,
        crypto: nodeCrypto,
        typ,
        keyBinding: 'required',
        audience,
        nonce,
        clock: () => settings.iat * 1000,
      });
      expect(verified.keyBinding?.payload.aud).toBe(audience);
    }
  });
});
