import { isTesseraError } from '@tessera/shared';
import type { Consent, VerifierAnswer } from '../index.ts';
import type { ConsentChoices, ConsentViewModel, VerifierLine } from './consent-view.ts';
import type { AppMessageKey } from './i18n.ts';

/**
 * The state of one sharing, from the opened request to the receipt. It lives in memory only and
 * is dropped when the wallet locks (main.ts): a consent holds the verifier's request and the
 * matched credentials, and a receipt what was shared.
 */
export interface ShareFlow {
  /** The request being answered, from `openRequest`. */
  consent: Consent | undefined;
  /** What the receipt screen shows after Share or Don't share. */
  receipt: ShareReceipt | undefined;
}

/** The receipt: what left the phone, to whom, and what the verifier answered. */
export interface ShareReceipt {
  /** `shared`: the holder said yes; `declined`: nothing was shared. */
  readonly kind: 'shared' | 'declined';
  readonly verifier: VerifierLine;
  /** The labels of the claims that were sent (none for a refusal). */
  readonly claims: readonly string[];
  /** `refused`: the verifier answered but did not accept; `not_delivered`: no answer came back. */
  readonly outcome: 'accepted' | 'refused' | 'not_delivered';
  /** Why the verifier refused, in words, when it said. */
  readonly reason: AppMessageKey | undefined;
}

/** The verifier's stable codes (its `tessera_code`, or the OAuth `error`) that a holder can act on. */
const REFUSALS: Readonly<Record<string, AppMessageKey>> = {
  credential_revoked: 'receipt.reason.credential_revoked',
  credential_suspended: 'receipt.reason.credential_suspended',
  expired: 'receipt.reason.expired',
  untrusted_issuer: 'receipt.reason.untrusted_issuer',
  credential_type_not_allowed: 'receipt.reason.untrusted_issuer',
  status_unavailable: 'receipt.reason.status_unavailable',
  transaction_expired: 'receipt.reason.transaction_expired',
};

/**
 * The receipt after `respond` (`kind` `shared`) or `decline`, from the model the holder saw, the
 * switches and documents they chose, and the verifier's answer or the error that stopped it (the
 * library logs the same outcome in the history). The claims listed are the ones `respond` was told
 * to send.
 */
export function shareReceipt(
  kind: 'shared' | 'declined',
  model: ConsentViewModel,
  choices: ConsentChoices,
  result: { answer: VerifierAnswer } | { error: unknown },
): ShareReceipt {
  const claims = kind === 'declined' ? [] : choices.sharedLabels();
  if ('error' in result) {
    return { kind, verifier: model.verifier, claims, outcome: 'not_delivered', reason: undefined };
  }
  const { answer } = result;
  if (answer.accepted) return { kind, verifier: model.verifier, claims, outcome: 'accepted', reason: undefined };
  const code = answer.body.tessera_code ?? answer.body.error;
  const reason = typeof code === 'string' && Object.hasOwn(REFUSALS, code) ? REFUSALS[code] : 'receipt.reason.other';
  return { kind, verifier: model.verifier, claims, outcome: 'refused', reason };
}

/** The plain-language message for a request that could not be opened (`openRequest` failed). */
export function openRequestErrorKey(error: unknown): AppMessageKey {
  if (!isTesseraError(error)) return 'error.unknown';
  switch (error.code) {
    case 'fetch_failed':
    case 'fetch_timeout':
    case 'did_resolution_failed':
      return 'error.verifier_network';
    case 'fetch_blocked':
      return 'error.insecure_link';
    case 'expired':
    case 'transaction_expired':
      return 'error.request_expired';
    case 'invalid_signature':
    case 'invalid_typ':
    case 'client_id_mismatch':
    case 'wallet_nonce_mismatch':
    case 'certificate_invalid':
    case 'did_invalid':
      return 'error.request_unsafe';
    default:
      return 'error.request_invalid';
  }
}
