import { errorCodeOf } from '@tessera/shared/testing';
import { describe, expect, it } from 'vitest';
import {
  displayName,
  findTrustedIssuer,
  parseTrustList,
  TRUST_LIST_LIMITS,
  type TrustedIssuer,
  type TrustList,
} from './trust-list.ts';

const RESIDENCE = 'https://tessera.example/credentials/residence-permit';
const LANGUAGE = 'https://tessera.example/credentials/language-certificate';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUZmFrZQ==\n-----END CERTIFICATE-----\n';

const example = () => ({
  version: 1,
  issuers: [
    {
      id: 'did:web:bologna.example',
      name: { en: 'City of Bologna — Immigration Office', it: 'Comune di Bologna — Ufficio Immigrazione', ar: 'بلدية بولونيا' },
      credentialTypes: [RESIDENCE],
      x509TrustAnchors: [PEM],
    },
    {
      id: 'https://school.example/tenant',
      name: { 'de-CH': 'Sprachschule Zürich', fr: 'École de langues de Zurich', 'en-GB': 'Zurich Language School' },
      credentialTypes: [LANGUAGE],
    },
  ],
});

describe('parseTrustList', () => {
  it('accepts a well-formed list, from an object or from JSON text, and returns a frozen copy', () => {
    const input = example();
    const list = parseTrustList(input);
    expect(list).toEqual(input);
    expect(parseTrustList(JSON.stringify(input))).toEqual(input);
    expect(Object.isFrozen(list) && Object.isFrozen(list.issuers) && Object.isFrozen(list.issuers[0]?.name)).toBe(true);
    input.issuers[0]?.credentialTypes.push(LANGUAGE);
    expect(list.issuers[0]?.credentialTypes).toEqual([RESIDENCE]);
  });

  it('accepts a list with no issuers, which trusts nobody', () => {
    const list = parseTrustList({ version: 1, issuers: [] });
    expect(errorCodeOf(() => findTrustedIssuer(list, 'did:web:bologna.example', RESIDENCE))).toBe('untrusted_issuer');
  });

  const mutations: [string, (list: ReturnType<typeof example>) => unknown][] = [
    ['a version other than 1', (list) => ({ ...list, version: 2 })],
    ['a missing version', ({ issuers }) => ({ issuers })],
    ['the version as a string', (list) => ({ ...list, version: '1' })],
    ['an unknown top-level member', (list) => ({ ...list, trustAll: true })],
    ['issuers that are not an array', (list) => ({ ...list, issuers: {} })],
    ['an issuer that is not an object', (list) => ({ ...list, issuers: ['did:web:bologna.example'] })],
    [
      'a duplicate issuer id',
      (list) => ({ ...list, issuers: [list.issuers[0], { ...list.issuers[1], id: 'did:web:bologna.example' }] }),
    ],
    ['an unknown issuer member', (list) => ({ ...list, issuers: [{ ...list.issuers[0], trusted: true }] })],
    ['an id that is an ftp URL', (list) => ({ ...list, issuers: [{ ...list.issuers[0], id: 'ftp://issuer.example' }] })],
    ['an id that is a relative path', (list) => ({ ...list, issuers: [{ ...list.issuers[0], id: '/issuer' }] })],
    [
      'an id that is a DID URL with a fragment',
      (list) => ({ ...list, issuers: [{ ...list.issuers[0], id: 'did:web:x.example#key-1' }] }),
    ],
    [
      'an id that is a DID without method-specific id',
      (list) => ({ ...list, issuers: [{ ...list.issuers[0], id: 'did:web:' }] }),
    ],
    ['an id with user info', (list) => ({ ...list, issuers: [{ ...list.issuers[0], id: 'https://a:b@issuer.example' }] })],
    ['an empty id', (list) => ({ ...list, issuers: [{ ...list.issuers[0], id: '' }] })],
    ['no names', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: {} }] })],
    ['a name as a string', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: 'Bologna' }] })],
    ['an empty name', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en: '' } }] })],
    ['a blank name', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en: '   ' } }] })],
    ['a name that is not a string', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en: 42 } }] })],
    [
      'a name with a control character',
      (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en: 'Bo\u0000logna' } }] }),
    ],
    ['an overlong name', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en: 'x'.repeat(257) } }] })],
    ['a malformed language tag', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en_GB: 'Bologna' } }] })],
    ['two names for one language', (list) => ({ ...list, issuers: [{ ...list.issuers[0], name: { en: 'A', EN: 'B' } }] })],
    ['no credential types', (list) => ({ ...list, issuers: [{ ...list.issuers[0], credentialTypes: [] }] })],
    [
      'credential types that are not an array',
      (list) => ({ ...list, issuers: [{ ...list.issuers[0], credentialTypes: RESIDENCE }] }),
    ],
    ['a credential type that is not a string', (list) => ({ ...list, issuers: [{ ...list.issuers[0], credentialTypes: [7] }] })],
    ['an empty credential type', (list) => ({ ...list, issuers: [{ ...list.issuers[0], credentialTypes: [''] }] })],
    [
      'a credential type listed twice',
      (list) => ({ ...list, issuers: [{ ...list.issuers[0], credentialTypes: [RESIDENCE, RESIDENCE] }] }),
    ],
    ['a trust anchor that is not PEM', (list) => ({ ...list, issuers: [{ ...list.issuers[0], x509TrustAnchors: ['MIIB'] }] })],
    ['an empty trust anchor array', (list) => ({ ...list, issuers: [{ ...list.issuers[0], x509TrustAnchors: [] }] })],
    [
      'more issuers than the limit',
      (list) => ({
        ...list,
        issuers: Array.from({ length: TRUST_LIST_LIMITS.maxIssuers + 1 }, (_, i) => ({
          ...list.issuers[1],
          id: `did:web:i${i}.example`,
        })),
      }),
    ],
    ['null', () => null],
    ['an array', (list) => [list]],
  ];

  for (const [what, mutate] of mutations) {
    it(`rejects ${what} with trust_list_invalid`, () => {
      expect(errorCodeOf(() => parseTrustList(mutate(example())))).toBe('trust_list_invalid');
    });
  }

  it('rejects JSON text that does not parse, and text past the size limit', () => {
    expect(errorCodeOf(() => parseTrustList('{"version": 1,'))).toBe('trust_list_invalid');
    expect(errorCodeOf(() => parseTrustList(' '.repeat(TRUST_LIST_LIMITS.maxJsonChars + 1)))).toBe('trust_list_invalid');
  });
});

describe('findTrustedIssuer', () => {
  const list = parseTrustList(example());

  it('returns the entry of a trusted issuer for a type it may issue', () => {
    expect(findTrustedIssuer(list, 'did:web:bologna.example', RESIDENCE).name.it).toBe(
      'Comune di Bologna — Ufficio Immigrazione',
    );
    expect(findTrustedIssuer(list, 'https://school.example/tenant', LANGUAGE).id).toBe('https://school.example/tenant');
  });

  it('rejects an issuer not on the list with untrusted_issuer', () => {
    expect(errorCodeOf(() => findTrustedIssuer(list, 'did:web:evil.example', RESIDENCE))).toBe('untrusted_issuer');
  });

  it('compares issuer ids exactly: no case folding, no trailing-slash or scheme games', () => {
    for (const lookalike of [
      'DID:web:bologna.example',
      'did:web:Bologna.example',
      'https://school.example/tenant/',
      'http://school.example/tenant',
    ]) {
      expect(errorCodeOf(() => findTrustedIssuer(list, lookalike, LANGUAGE))).toBe('untrusted_issuer');
    }
  });

  it('rejects a type outside the issuer allowance with credential_type_not_allowed', () => {
    expect(errorCodeOf(() => findTrustedIssuer(list, 'did:web:bologna.example', LANGUAGE))).toBe('credential_type_not_allowed');
    expect(errorCodeOf(() => findTrustedIssuer(list, 'did:web:bologna.example', `${RESIDENCE}/`))).toBe(
      'credential_type_not_allowed',
    );
  });

  it('also works on a list built in code rather than parsed', () => {
    const handMade: TrustList = {
      version: 1,
      issuers: [{ id: 'did:jwk:abc', name: { en: 'Local' }, credentialTypes: [RESIDENCE] }],
    };
    expect(findTrustedIssuer(handMade, 'did:jwk:abc', RESIDENCE).name.en).toBe('Local');
  });
});

describe('displayName', () => {
  const [bologna, school] = parseTrustList(example()).issuers as [TrustedIssuer, TrustedIssuer];

  it('picks the exact language, ignoring case', () => {
    expect(displayName(bologna, ['ar'])).toEqual({ text: 'بلدية بولونيا', language: 'ar' });
    expect(displayName(school, ['DE-ch'])).toEqual({ text: 'Sprachschule Zürich', language: 'de-CH' });
  });

  it('truncates a regional preference to its language (it-CH → it)', () => {
    expect(displayName(bologna, ['it-CH'])).toEqual({ text: 'Comune di Bologna — Ufficio Immigrazione', language: 'it' });
  });

  it('takes another region of the same language (de → de-CH)', () => {
    expect(displayName(school, ['de-AT'])).toEqual({ text: 'Sprachschule Zürich', language: 'de-CH' });
  });

  it('honours the order of preferences before falling back', () => {
    expect(displayName(school, ['fr-CA', 'de'])).toEqual({ text: 'École de langues de Zurich', language: 'fr' });
    expect(displayName(bologna, ['uk', 'it', 'en'])).toEqual({
      text: 'Comune di Bologna — Ufficio Immigrazione',
      language: 'it',
    });
  });

  it('falls back to English, then to the first name listed', () => {
    expect(displayName(bologna, ['tr'])).toEqual({ text: 'City of Bologna — Immigration Office', language: 'en' });
    expect(displayName(school, [])).toEqual({ text: 'Zurich Language School', language: 'en-GB' });
    const noEnglish = parseTrustList({
      version: 1,
      issuers: [{ id: 'did:web:a.example', name: { fr: 'A', de: 'B' }, credentialTypes: ['t'] }],
    });
    expect(displayName(noEnglish.issuers[0] as TrustedIssuer, ['ar'])).toEqual({ text: 'A', language: 'fr' });
  });
});
