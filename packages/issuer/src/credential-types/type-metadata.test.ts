import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCredentialType } from './credential-type.ts';
import { residencePermit } from './shipped/index.ts';
import { sampleTypeInput } from './test-types.ts';
import { serializeTypeMetadata, typeMetadata, typeMetadataIntegrity } from './type-metadata.ts';

describe('typeMetadata', () => {
  const metadata = typeMetadata(residencePermit);

  it('names the vct and gives English name and description for developers', () => {
    expect(metadata.vct).toBe('https://tessera.example/credentials/residence-permit');
    expect(metadata.name).toBe('Residence permit');
    expect(metadata.description).toBe('Shows the right to live in this country.');
  });

  it('has a display entry for every locale, with the simple rendering', () => {
    expect(metadata.display).toHaveLength(10);
    expect(metadata.display.find((entry) => entry.locale === 'fa')).toEqual({
      locale: 'fa',
      name: 'اجازه اقامت',
      description: 'حق زندگی در این کشور را نشان می‌دهد.',
      rendering: { simple: { background_color: '#1f4e79', text_color: '#ffffff' } },
    });
  });

  it('describes each claim by path, with labels, mandatory, sd and a unique svg_id', () => {
    const over18 = metadata.claims.find((claim) => claim.path.join('/') === 'age_equal_or_over/18');
    expect(over18).toMatchObject({ mandatory: false, sd: 'always', svg_id: 'age_equal_or_over_18' });
    expect(over18?.display).toContainEqual({ locale: 'uk', label: '18 років або більше' });
    expect(metadata.claims.find((claim) => claim.path[0] === 'given_name')?.mandatory).toBe(true);
    const svgIds = metadata.claims.map((claim) => claim.svg_id);
    expect(new Set(svgIds).size).toBe(svgIds.length);
    for (const id of svgIds) expect(id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('keeps sd never and allowed as declared, and claim descriptions and logos when set', () => {
    const input = sampleTypeInput();
    if (input.claims[0] !== undefined) input.claims[0].display.en = { label: 'Name', description: 'As on the card' };
    if (input.display.de !== undefined) input.display.de.logo = { uri: 'https://issuer.example/logo.svg' };
    const sample = typeMetadata(parseCredentialType(input));
    expect(sample.claims.find((claim) => claim.path[0] === 'branch')?.sd).toBe('never');
    expect(sample.claims.find((claim) => claim.path[0] === 'loans')?.sd).toBe('allowed');
    expect(sample.claims[0]?.display[0]).toEqual({ locale: 'en', label: 'Name', description: 'As on the card' });
    expect(sample.display.find((entry) => entry.locale === 'de')?.rendering.simple.logo).toEqual({
      uri: 'https://issuer.example/logo.svg',
    });
  });

  it('is plain JSON that survives a round trip unchanged', () => {
    expect(JSON.parse(serializeTypeMetadata(metadata))).toEqual(metadata);
  });
});

describe('typeMetadataIntegrity', () => {
  it('is the SRI sha256 of exactly the served bytes', () => {
    const metadata = typeMetadata(residencePermit);
    const expected = createHash('sha256')
      .update(Buffer.from(serializeTypeMetadata(metadata), 'utf8'))
      .digest('base64');
    expect(typeMetadataIntegrity(metadata)).toBe(`sha256-${expected}`);
    expect(typeMetadataIntegrity(metadata)).toMatch(/^sha256-[A-Za-z0-9+/]{43}=$/);
  });

  it('changes when the document changes', () => {
    const metadata = typeMetadata(residencePermit);
    const changed = { ...metadata, name: 'Residence permit (v2)' };
    expect(typeMetadataIntegrity(changed)).not.toBe(typeMetadataIntegrity(metadata));
  });
});
