import type { CredentialType } from '../credential-type.ts';
import { NAME_CLAIMS } from './common-claims.ts';
import { claim, defineCredentialType, typeDisplay } from './define.ts';

/**
 * Registration with an NGO, issued by the organisation when a person registers for its support
 * (advice, shelter, a language café). The verifier desk's "NGO registration" template asks for
 * `organisation` and `registered` only, so those two names must not change.
 */
export const ngoRegistration: CredentialType = defineCredentialType({
  id: 'ngo_registration',
  vct: 'https://tessera.example/credentials/ngo-registration',
  issuerKind: 'ngo',
  formats: ['dc+sd-jwt', 'jwt_vc_json'],
  // Registrations are renewed yearly by the NGOs this type was written with.
  validity: { days: 365 },
  display: typeDisplay(
    {
      en: 'NGO registration',
      de: 'Registrierung bei einer NGO',
      fr: 'Inscription auprès d’une ONG',
      it: 'Iscrizione presso una ONG',
      es: 'Inscripción en una ONG',
      ar: 'التسجيل لدى منظمة غير حكومية',
      fa: 'ثبت‌نام در سازمان مردم‌نهاد',
      uk: 'Реєстрація в громадській організації',
      ti: 'ምዝገባ ኣብ ግብረ ሰናይ ትካል',
      so: 'Diiwaangelinta hay’adda samafalka',
    },
    {
      en: 'Shows that a person is registered with an organisation and can use its services.',
      de: 'Zeigt, dass eine Person bei einer Organisation registriert ist und ihre Angebote nutzen kann.',
      fr: 'Montre qu’une personne est inscrite auprès d’une organisation et peut utiliser ses services.',
      it: 'Mostra che una persona è iscritta presso un’organizzazione e può usarne i servizi.',
      es: 'Muestra que una persona está inscrita en una organización y puede usar sus servicios.',
      ar: 'يُثبت أن الشخص مسجَّل لدى منظمة ويمكنه الاستفادة من خدماتها.',
      fa: 'نشان می‌دهد که فرد در یک سازمان ثبت‌نام کرده است و می‌تواند از خدمات آن استفاده کند.',
      uk: 'Підтверджує, що особа зареєстрована в організації та може користуватися її послугами.',
      ti: 'ሓደ ሰብ ኣብ ትካል ከም ዝተመዝገበን ኣገልግሎታቱ ክጥቀም ከም ዝኽእልን የረጋግጽ።',
      so: 'Waxay caddaynaysaa in qofku ka diiwaangashan yahay hay’ad oo uu isticmaali karo adeegyadeeda.',
    },
    { backgroundColor: '#8a1c4a', textColor: '#ffffff' },
  ),
  claims: [
    ...NAME_CLAIMS,
    claim(
      ['organisation'],
      'string',
      {
        en: 'Organisation',
        de: 'Organisation',
        fr: 'Organisation',
        it: 'Organizzazione',
        es: 'Organización',
        ar: 'المنظمة',
        fa: 'سازمان',
        uk: 'Організація',
        ti: 'ትካል',
        so: 'Hay’adda',
      },
      { required: true, maxLength: 300 },
    ),
    claim(
      ['registered'],
      'boolean',
      {
        en: 'Registered',
        de: 'Registriert',
        fr: 'Inscrit·e',
        it: 'Iscritto/a',
        es: 'Inscrito/a',
        ar: 'مسجَّل',
        fa: 'ثبت‌نام‌شده',
        uk: 'Зареєстровано',
        ti: 'ተመዝጊቡ',
        so: 'Diiwaangashan',
      },
      { required: true },
    ),
    claim(
      ['registration_date'],
      'date',
      {
        en: 'Date of registration',
        de: 'Datum der Registrierung',
        fr: 'Date d’inscription',
        it: 'Data di iscrizione',
        es: 'Fecha de inscripción',
        ar: 'تاريخ التسجيل',
        fa: 'تاریخ ثبت‌نام',
        uk: 'Дата реєстрації',
        ti: 'ዕለት ምዝገባ',
        so: 'Taariikhda diiwaangelinta',
      },
      { required: true },
    ),
    claim(
      ['services'],
      'string',
      {
        en: 'Services',
        de: 'Angebote',
        fr: 'Services',
        it: 'Servizi',
        es: 'Servicios',
        ar: 'الخدمات',
        fa: 'خدمات',
        uk: 'Послуги',
        ti: 'ኣገልግሎታት',
        so: 'Adeegyada',
      },
      { maxLength: 500 },
    ),
  ],
});
