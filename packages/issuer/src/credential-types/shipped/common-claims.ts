import { type ClaimInput, claim, type Translations } from './define.ts';

/**
 * Labels shared by several shipped types, so a person's name reads the same on every card.
 * Wording: short, everyday words rather than legal terms, for readers with little schooling.
 */
const GIVEN_NAME: Translations = {
  en: 'Given name',
  de: 'Vorname',
  fr: 'Prénom',
  it: 'Nome',
  es: 'Nombre',
  ar: 'الاسم الأول',
  fa: 'نام',
  uk: 'Ім’я',
  ti: 'ሽም',
  so: 'Magaca koowaad',
};

const FAMILY_NAME: Translations = {
  en: 'Family name',
  de: 'Nachname',
  fr: 'Nom de famille',
  it: 'Cognome',
  es: 'Apellidos',
  ar: 'اسم العائلة',
  fa: 'نام خانوادگی',
  uk: 'Прізвище',
  ti: 'ሽም ስድራቤት',
  so: 'Magaca qoyska',
};

const BIRTH_DATE: Translations = {
  en: 'Date of birth',
  de: 'Geburtsdatum',
  fr: 'Date de naissance',
  it: 'Data di nascita',
  es: 'Fecha de nacimiento',
  ar: 'تاريخ الميلاد',
  fa: 'تاریخ تولد',
  uk: 'Дата народження',
  ti: 'ዕለት ልደት',
  so: 'Taariikhda dhalashada',
};

const NATIONALITY: Translations = {
  en: 'Nationality',
  de: 'Staatsangehörigkeit',
  fr: 'Nationalité',
  it: 'Cittadinanza',
  es: 'Nacionalidad',
  ar: 'الجنسية',
  fa: 'تابعیت',
  uk: 'Громадянство',
  ti: 'ዜግነት',
  so: 'Jinsiyadda',
};

/** Names are free text: long enough for names from every culture, short enough for a card. */
const NAME_LENGTH = { maxLength: 200 } as const;

/** The holder's required given and family names, first on every shipped card. */
export const NAME_CLAIMS: readonly ClaimInput[] = [
  claim(['given_name'], 'string', GIVEN_NAME, { required: true, ...NAME_LENGTH }),
  claim(['family_name'], 'string', FAMILY_NAME, { required: true, ...NAME_LENGTH }),
];

/** Names, birth date and nationality (ISO 3166-1 alpha-2): the identity block of authority-issued cards. */
export const IDENTITY_CLAIMS: readonly ClaimInput[] = [
  ...NAME_CLAIMS,
  claim(['birth_date'], 'date', BIRTH_DATE, { required: true }),
  claim(['nationality'], 'string', NATIONALITY, { required: true, format: 'country-code' }),
];
