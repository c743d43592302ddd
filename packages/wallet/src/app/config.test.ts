import { describe, expect, it } from 'vitest';
import { parseConfig, STRICT_CONFIG } from './config.ts';
import { backupPassphraseProblem, MIN_BACKUP_PASSPHRASE_LENGTH } from './screens/back-up-wallet.ts';
import { MIN_PIN_LENGTH, pinProblem } from './screens/create-profile.ts';

/** A PEM certificate's shape (the parser checks the armour; the library parses the DER). */
const ANCHOR = '-----BEGIN CERTIFICATE-----\nMIIBfzCCASWgAwIBAgIUJ2sT\nAbCd+/0=\n-----END CERTIFICATE-----';

describe('parseConfig', () => {
  it('reads the trust list and the development switch', () => {
    expect(
      parseConfig({
        trust: {
          issuers: [{ id: 'did:web:city.example', credentialTypes: ['https://x/permit'] }, { id: 'did:jwk:abc' }],
          acceptUnknownIssuers: true,
        },
        trustAnchors: [`  ${ANCHOR}  `],
        allowInsecureLocalhost: true,
      }),
    ).toEqual({
      trust: {
        issuers: [{ id: 'did:web:city.example', credentialTypes: ['https://x/permit'] }, { id: 'did:jwk:abc' }],
        acceptUnknownIssuers: true,
      },
      trustAnchors: [ANCHOR],
      allowInsecureLocalhost: true,
    });
  });

  it('keeps the X.509 roots of an issuer that signs with a certificate, for that issuer only', () => {
    const config = parseConfig({
      trust: { issuers: [{ id: 'https://city.example', x509TrustAnchors: [` ${ANCHOR}\n`] }, { id: 'did:web:x' }] },
    });
    expect(config.trust.issuers).toEqual([{ id: 'https://city.example', x509TrustAnchors: [ANCHOR] }, { id: 'did:web:x' }]);
    for (const x509TrustAnchors of [ANCHOR, [42], [ANCHOR.replace('CERTIFICATE', 'PRIVATE KEY')]]) {
      expect(parseConfig({ trust: { issuers: [{ id: 'https://city.example', x509TrustAnchors }] } })).toEqual(STRICT_CONFIG);
    }
  });

  it('takes a file without trust anchors as one that verifies no desk', () => {
    expect(parseConfig({ trust: { issuers: [] } }).trustAnchors).toEqual([]);
  });

  it('fails closed on a malformed trust anchor: no issuer, no desk, no insecure localhost', () => {
    const good = { trust: { issuers: [{ id: 'did:web:x' }] }, allowInsecureLocalhost: true };
    for (const trustAnchors of [
      ANCHOR,
      [ANCHOR, 42],
      [ANCHOR.replace('CERTIFICATE', 'PRIVATE KEY')],
      [ANCHOR.replace('MIIB', 'MI IB')],
      [`${ANCHOR}\n${ANCHOR}`],
      ['-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----'],
      [`-----BEGIN CERTIFICATE-----\n${'A'.repeat(17_000)}\n-----END CERTIFICATE-----`],
      Array.from({ length: 101 }, () => ANCHOR),
    ]) {
      expect(parseConfig({ ...good, trustAnchors })).toBe(STRICT_CONFIG);
    }
    expect(parseConfig({ ...good, trustAnchors: [ANCHOR] }).trustAnchors).toEqual([ANCHOR]);
  });

  it('fails closed: anything malformed trusts no issuer and refuses unknown ones', () => {
    for (const value of [
      null,
      'x',
      {},
      { trust: null },
      { trust: { issuers: 'did:web:x' } },
      { trust: { issuers: [{ id: '' }] } },
      { trust: { issuers: [{ id: 'did:web:x', credentialTypes: [1] }] }, acceptUnknownIssuers: true },
    ]) {
      expect(parseConfig(value)).toBe(STRICT_CONFIG);
    }
    expect(STRICT_CONFIG).toEqual({
      trust: { issuers: [], acceptUnknownIssuers: false },
      trustAnchors: [],
      allowInsecureLocalhost: false,
    });
  });

  it('takes only a literal true as yes', () => {
    expect(parseConfig({ trust: { issuers: [], acceptUnknownIssuers: 'yes' }, allowInsecureLocalhost: 1 })).toEqual(
      STRICT_CONFIG,
    );
  });
});

describe('pinProblem', () => {
  it('asks for at least six characters, counted as the holder sees them', () => {
    expect(MIN_PIN_LENGTH).toBe(6);
    expect(pinProblem('12345', '12345')).toBe('create.pin_too_short');
    expect(pinProblem('۱۲۳۴۵۶', '۱۲۳۴۵۶')).toBeUndefined();
    expect(pinProblem('😀😀😀', '😀😀😀')).toBe('create.pin_too_short');
  });

  it('asks for the same PIN twice, the same however the keyboard composed its accents', () => {
    expect(pinProblem('493817', '493818')).toBe('create.pin_mismatch');
    expect(pinProblem('çafé12', 'c\u0327afe\u030112')).toBeUndefined();
  });
});

describe('backupPassphraseProblem', () => {
  it('asks for at least eight characters, typed the same twice', () => {
    expect(MIN_BACKUP_PASSPHRASE_LENGTH).toBe(8);
    expect(backupPassphraseProblem('1234567', '1234567')).toBe('backup.too_short');
    expect(backupPassphraseProblem('blue river', 'blue rivers')).toBe('backup.mismatch');
    expect(backupPassphraseProblem('blue river', 'blue river')).toBeUndefined();
    expect(backupPassphraseProblem('çafé-bleu', 'c\u0327afe\u0301-bleu')).toBeUndefined();
  });
});
