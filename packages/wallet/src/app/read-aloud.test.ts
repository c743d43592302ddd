import { describe, expect, it } from 'vitest';
import { pickVoice } from './read-aloud.ts';

const voice = (lang: string, localService = true) => ({ lang, localService, name: `${lang}${localService ? '' : ' (network)'}` });

describe('the read-aloud voice', () => {
  it('is a voice on the phone for the holder’s language: the exact tag first, then the same language elsewhere', () => {
    const voices = [voice('en-US'), voice('en-GB'), voice('ar-SA'), voice('fr_FR'), voice('de-DE')];
    expect(pickVoice(voices, 'en')?.lang).toBe('en-US');
    expect(pickVoice([voice('en-US'), voice('en')], 'en')?.lang).toBe('en');
    expect(pickVoice(voices, 'ar')?.lang).toBe('ar-SA');
    // Android writes fr_FR.
    expect(pickVoice(voices, 'fr')?.lang).toBe('fr_FR');
  });

  it('never is a network voice, which would send the screen’s text (names, document values) to its provider', () => {
    expect(pickVoice([voice('ar-SA', false)], 'ar')).toBeUndefined();
    expect(pickVoice([voice('ar-SA', false), voice('ar-EG')], 'ar')?.lang).toBe('ar-EG');
  });

  it('reads Dari with a Dari voice, else a Farsi one, and Kurmanji with a ku voice; a language without a voice has none', () => {
    expect(pickVoice([voice('fa-IR'), voice('fa-AF')], 'fa-AF')?.lang).toBe('fa-AF');
    expect(pickVoice([voice('fa-IR'), voice('prs')], 'fa-AF')?.lang).toBe('prs');
    expect(pickVoice([voice('fa-IR')], 'fa-AF')?.lang).toBe('fa-IR');
    expect(pickVoice([voice('ku-TR')], 'kmr')?.lang).toBe('ku-TR');
    // Sorani is another language: never for Kurmanji.
    expect(pickVoice([voice('ckb-IQ')], 'kmr')).toBeUndefined();
    expect(pickVoice([voice('en-US'), voice('am-ET')], 'ti')).toBeUndefined();
    expect(pickVoice([], 'en')).toBeUndefined();
  });
});
