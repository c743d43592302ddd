import type { CredentialType } from '../credential-type.ts';
import { asylumSeekerRegistration } from './asylum-seeker-registration.ts';
import { languageCourseCertificate } from './language-course-certificate.ts';
import { ngoRegistration } from './ngo-registration.ts';
import { professionalQualificationRecognition } from './professional-qualification-recognition.ts';
import { residencePermit } from './residence-permit.ts';

export { CEFR_LEVELS } from './language-course-certificate.ts';
export {
  asylumSeekerRegistration,
  languageCourseCertificate,
  ngoRegistration,
  professionalQualificationRecognition,
  residencePermit,
};

/** The five credential types Tessera ships, authorities' first. */
export const SHIPPED_CREDENTIAL_TYPES: readonly CredentialType[] = [
  residencePermit,
  asylumSeekerRegistration,
  professionalQualificationRecognition,
  languageCourseCertificate,
  ngoRegistration,
];
