import { type Catalog, createTranslator } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DESK_CATALOGS, type DeskMessageKey } from './messages.ts';
import { renderDeskPage } from './page.ts';
import { createDeskTemplates } from './templates.ts';

const templates = createDeskTemplates();
const render = (language: string) =>
  renderDeskPage({ translator: createTranslator(DESK_CATALOGS, language), templates, catalogs: DESK_CATALOGS });

describe('renderDeskPage', () => {
  it('renders the page in the staff language, left to right for German', () => {
    const page = render('de-DE');
    expect(page).toMatch(/^<!doctype html>\n<html lang="de" dir="ltr">/);
    expect(page).toContain('<title>Servicestelle: Nachweis prüfen</title>');
    expect(page).toContain('Was möchten Sie prüfen?');
  });

  it('renders Arabic right to left', () => {
    const page = render('ar');
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('ما الذي تحتاج إلى التحقق منه؟');
  });

  it('offers every template as a labelled radio button with its description', () => {
    const page = render('en');
    for (const template of templates) {
      expect(page).toContain(`<input type="radio" name="template" id="template-${template.id}" value="${template.id}"`);
      expect(page).toContain(`<label for="template-${template.id}">`);
    }
    expect(page).toContain('Only whether the person is 18 or older, without the date of birth.');
  });

  it('has no inline script or style, and loads nothing from another origin', () => {
    const page = render('fr');
    const scripts = [...page.matchAll(/<script([^>]*)>/g)].map((match) => match[1]);
    expect(scripts).toEqual([' type="application/json" id="desk-data"', ' type="module" src="desk.js"']);
    expect(page).not.toMatch(/\son[a-z]+=/i);
    expect(page).not.toMatch(/<style|style="/);
    expect(page).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('passes the script its texts as JSON that cannot close the data block', () => {
    const page = render('en');
    const block = /<script type="application\/json" id="desk-data">(.*?)<\/script>/s.exec(page)?.[1] ?? '';
    const data = JSON.parse(block);
    expect(data).toMatchObject({ lang: 'en', maxWaitSeconds: 25 });
    expect(data.strings.expiresIn).toBe('Expires in {time}');
    expect(block).not.toContain('<');
  });

  it('escapes texts, so a catalog cannot inject markup', () => {
    const en = DESK_CATALOGS.en as Catalog<DeskMessageKey>;
    const hostile = { ...DESK_CATALOGS, en: { ...en, 'page.heading': '<img src=x onerror=alert(1)>' } };
    const page = renderDeskPage({ translator: createTranslator(hostile, 'en'), templates, catalogs: hostile });
    expect(page).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>');
  });

  it('links every language by its own name and marks the current one', () => {
    const page = render('fr');
    expect(page).toContain('<a href="?lang=ar" hreflang="ar" lang="ar" dir="rtl">العربية</a>');
    expect(page).toContain('<a href="?lang=fr" hreflang="fr" lang="fr" dir="ltr" aria-current="page">Français</a>');
  });

  it('announces the result through a live region', () => {
    expect(render('en')).toContain('<section id="result" class="result" aria-live="polite"></section>');
  });
});
