import { describe, expect, it } from 'vitest';
import type { HistoryEntry, WalletRecord } from '../index.ts';
import { createTestProfile, fileBackend } from '../node/test-wallets.ts';
import { clearHistory, filterHistory, historyExport, historyItems } from './history-view.ts';

/**
 * The history screen's lines from entries shaped as the library logs them (receive, respond,
 * decline, import; docs/wallet.md) and the app's own deletion entry, with a stored document whose
 * claim values are planted secrets: the lines name claims by their labels and never hold a value.
 */

const VCT = 'https://tessera.example/credentials/residence-permit';
const SECRET_NAME = 'Amina-PLANTED-SECRET';
const SECRET_STATUS = 'lawfully-resident-PLANTED';

const record: WalletRecord = {
  id: 'c1',
  kind: 'credential',
  value: {
    format: 'dc+sd-jwt',
    sdJwt: `eyJ.${SECRET_NAME}.${SECRET_STATUS}~`,
    vct: VCT,
    keyId: 'k1',
    issuer: 'did:jwk:city',
    issuerTrusted: true,
    receivedAt: 1000,
    expiresAt: null,
    receiptId: 'r1',
    display: {
      issuer: [
        { name: 'City of Bologna', locale: 'en' },
        { name: 'Comune di Bologna', locale: 'it' },
      ],
      credential: [
        { name: 'Residence permit', locale: 'en' },
        { name: 'Permesso di soggiorno', locale: 'it' },
      ],
      claims: [
        {
          path: ['given_name'],
          display: [
            { name: 'Given name', locale: 'en' },
            { name: 'Nome', locale: 'it' },
          ],
        },
        { path: ['residence_status'], display: [{ name: 'Residence status', locale: 'en' }] },
      ],
    },
  },
};

const verifier = { clientId: 'x509_hash:abc', verified: true, name: 'Job centre Bologna' };
const entries: HistoryEntry[] = [
  {
    id: 'h1',
    event: 'credential_received',
    at: 1000,
    details: { issuer: 'did:jwk:city', format: 'dc+sd-jwt', vct: VCT, credentialIds: ['c1'] },
  },
  {
    id: 'h2',
    event: 'credential_presented',
    at: 3000,
    details: {
      verifier,
      purpose: 'To check that you may work',
      disclosed: [{ queryId: 'permit', format: 'dc+sd-jwt', vct: VCT, claims: ['residence_status', 'given_name'] }],
      outcome: { result: 'accepted' },
    },
  },
  {
    id: 'h3',
    event: 'presentation_declined',
    at: 2000,
    details: {
      verifier: { clientId: 'x509_hash:zzz', verified: false, reason: 'no_trust_anchor' },
      outcome: { result: 'accepted' },
    },
  },
  {
    id: 'h4',
    event: 'credential_presented',
    at: 4000,
    details: {
      verifier,
      disclosed: [{ queryId: 'permit', format: 'dc+sd-jwt', vct: VCT, claims: ['residence_status'] }],
      outcome: { result: 'rejected', status: 400, code: 'credential_revoked' },
    },
  },
  {
    id: 'h5',
    event: 'credential_deleted',
    at: 5000,
    details: { vct: VCT, documentName: 'Old card', issuerName: 'Old office', credentialIds: ['gone'] },
  },
  { id: 'h6', event: 'backup_restored', at: 500, details: { backupCreatedAt: '2026-01-01T00:00:00.000Z' } },
];

describe('the history lines', () => {
  it('list newest first with when, who, why, claim labels and the outcome', () => {
    const items = historyItems(entries, [record], 'en');
    expect(items.map((item) => item.id)).toEqual(['h5', 'h4', 'h2', 'h3', 'h1', 'h6']);
    expect(items.find((item) => item.id === 'h2')).toMatchObject({
      kind: 'shared',
      title: 'history.shared',
      at: 3000,
      verifier: 'Job centre Bologna',
      verifierVerified: true,
      purpose: 'To check that you may work',
      claims: ['Residence status', 'Given name'],
      outcome: 'history.outcome.accepted',
    });
    // An unchecked desk's x509_hash: id is a hash: it is not shown as a name.
    expect(items.find((item) => item.id === 'h3')).toMatchObject({
      kind: 'declined',
      verifier: undefined,
      verifierVerified: false,
      claims: [],
      outcome: 'history.outcome.told',
    });
    expect(items.find((item) => item.id === 'h4')?.outcome).toBe('history.outcome.refused');
    expect(items.find((item) => item.id === 'h1')).toMatchObject({
      kind: 'received',
      document: 'Residence permit',
      issuer: 'City of Bologna',
    });
    // A deleted document is named by what its entry kept.
    expect(items.find((item) => item.id === 'h5')).toMatchObject({ kind: 'other', document: 'Old card', issuer: 'Old office' });
    expect(items.find((item) => item.id === 'h6')).toMatchObject({ kind: 'other', title: 'history.restored' });
  });

  it('label claims in the holder’s language (else the issuer’s English), with the name where no document says', () => {
    const items = historyItems(entries, [record], 'it');
    expect(items.find((item) => item.id === 'h2')?.claims).toEqual(['Residence status', 'Nome']);
    expect(items.find((item) => item.id === 'h1')?.document).toBe('Permesso di soggiorno');
    // With the document gone, the names stay names.
    expect(historyItems(entries, [], 'en').find((item) => item.id === 'h2')?.claims).toEqual(['residence_status', 'given_name']);
  });

  it('hold no claim value, in the lines or in the exported file', () => {
    const text = JSON.stringify(historyItems(entries, [record], 'en')) + historyExport(entries, 6000);
    expect(text).not.toContain(SECRET_NAME);
    expect(text).not.toContain(SECRET_STATUS);
  });

  it('filter by kind, "all" keeping every entry', () => {
    const items = historyItems(entries, [record], 'en');
    expect(filterHistory(items, 'shared').map((item) => item.id)).toEqual(['h4', 'h2']);
    expect(filterHistory(items, 'declined').map((item) => item.id)).toEqual(['h3']);
    expect(filterHistory(items, 'received').map((item) => item.id)).toEqual(['h1']);
    expect(filterHistory(items, 'all')).toHaveLength(entries.length);
  });

  it('export as JSON with ISO times, oldest first, as the wallet logged it', () => {
    const file = JSON.parse(historyExport(entries, Date.UTC(2026, 2, 1))) as {
      format: string;
      version: number;
      exportedAt: string;
      entries: { at: string; event: string; details: object }[];
    };
    expect(file.format).toBe('tessera-wallet-history');
    expect(file.version).toBe(1);
    expect(file.exportedAt).toBe('2026-03-01T00:00:00.000Z');
    expect(file.entries.map((entry) => entry.event)).toEqual([
      'backup_restored',
      'credential_received',
      'presentation_declined',
      'credential_presented',
      'credential_presented',
      'credential_deleted',
    ]);
    expect(file.entries[0]?.at).toBe('1970-01-01T00:00:00.500Z');
    expect(file.entries[3]?.details).toEqual(entries[1]?.details);
  });

  it('call an unchecked web desk by its host, marked as not checked by the screen', () => {
    const web: HistoryEntry = {
      id: 'h8',
      event: 'presentation_declined',
      at: 8,
      details: {
        verifier: { clientId: 'redirect_uri:https://desk.example/answer', verified: false, reason: 'unsigned_request' },
      },
    };
    expect(historyItems([web], [], 'en')[0]).toMatchObject({ verifier: 'desk.example', verifierVerified: false });
  });

  it('clean what verifiers wrote before it reaches the screen', () => {
    const hostile: HistoryEntry = {
      id: 'h9',
      event: 'credential_presented',
      at: 9,
      details: { verifier: { verified: true, name: 'Desk\u202Enaive', clientId: 'x' }, purpose: `${'x'.repeat(600)}\u0007` },
    };
    const [item] = historyItems([hostile], [], 'en');
    expect(item?.verifier).toBe('Desk naive');
    expect(item?.purpose).toHaveLength(500);
  });
});

describe('clearing the history', () => {
  it('deletes every entry of this wallet and nothing else: documents stay, and another wallet keeps its history', async () => {
    const backend = await fileBackend();
    try {
      const wallet = await createTestProfile(backend, 'clearing');
      const other = await createTestProfile(backend, 'other');
      await wallet.records.put('credential', record.value, 'c1');
      await wallet.history.add({ event: 'credential_received', details: {} });
      await wallet.history.add({ event: 'presentation_declined', details: {} });
      await other.history.add({ event: 'credential_received', details: {} });
      expect(await clearHistory(wallet)).toBe(2);
      expect(await wallet.history.list()).toEqual([]);
      expect((await wallet.records.list('credential')).map((stored) => stored.id)).toEqual(['c1']);
      expect(await other.history.list()).toHaveLength(1);
      expect(await clearHistory(wallet)).toBe(0);
    } finally {
      await backend.dispose();
    }
  });
});
