import type {
  Consent,
  ConsentCandidate,
  ConsentClaim,
  ConsentCredentialSet,
  ConsentNeed,
  RespondOptions,
  WalletRecord,
} from '../index.ts';
import { type CredentialCard, claimLabel, credentialCards, displayText } from './credential-view.ts';
import type { AppMessageKey } from './i18n.ts';

/**
 * What the consent screen shows of a `Consent` (OpenID4VP 1.0 §6.4: who asks, why, what would be
 * shared), and the holder's choices on it. Pure data, so the rules that keep a holder from
 * over-sharing are tested without a browser:
 * - required claims are listed and marked, and cannot be switched off (declining is the way out);
 * - optional claims and optional documents are switches, off until the holder turns them on;
 * - where the request leaves a choice, the holder makes it: which of several documents answers a
 *   query (the copies received together count as one), several for a `multiple` query, another
 *   option of a credential set (§6.1, §6.2, §6.4.2); the library's defaults come first;
 * - "Share" sends exactly the switched-on refs and the chosen documents, nothing the holder did not see;
 * - "Share" and "Don't share" are built alike, and neither is the default.
 */

/** One claim as the screen names it: the issuer's label in the holder's language, or its name. */
export interface ClaimLine {
  /** The `ref` `respond` takes (`<query id>:<path>`); for a W3C claim, its name. */
  readonly ref: string;
  readonly name: string;
  readonly label: string;
}

/**
 * One document the holder may show for a credential query. The instances received together (a
 * batch, docs/wallet.md "Receive") are one document to the holder, so they are one choice here.
 */
export interface DocumentChoice {
  /** The document's card (`receiptId`), or the instance id when no card names it. */
  readonly key: string;
  /**
   * The instance `respond` sends for this document: its first candidate in the library's order,
   * which puts instances no verifier has seen first (unlinkability).
   */
  readonly credentialId: string;
  readonly card: CredentialCard | undefined;
  /** A W3C VC: the verifier receives all of it, so `required` lists everything in it. */
  readonly disclosesEverything: boolean;
  /** Shared whenever this document is shared. */
  readonly required: readonly ClaimLine[];
  /** Shared only when switched on. */
  readonly optional: readonly ClaimLine[];
  /** Even its best copy was shown before: verifiers who saw it could link the two showings. */
  readonly presentedBefore: boolean;
}

/** One credential query the holder's documents answer (OpenID4VP 1.0 §6.1). */
export interface ConsentSection {
  readonly queryId: string;
  /** The library's need under the verifier's preferred options; what the screen shows follows the holder's choices (`ConsentChoices.shown`). */
  readonly need: ConsentNeed;
  /** The verifier accepts several documents for it (§6.1 `multiple`). */
  readonly multiple: boolean;
  /** The documents that answer it, the library's default first. */
  readonly documents: readonly DocumentChoice[];
}

/**
 * A required credential set (§6.2) with more than one option the wallet can answer: the holder
 * picks which documents to show (§6.4.2, `respond`'s `choice`). Only satisfiable options are listed.
 */
export interface OptionChoice {
  /** The set's index in `consent.credentialSets`. */
  readonly set: number;
  /** The option the library answers unless told otherwise (the first satisfiable one). */
  readonly defaultOption: number;
  readonly options: readonly {
    readonly option: number;
    readonly queryIds: readonly string[];
    /** The names of the documents this option would show, in the holder's language. */
    readonly documents: readonly string[];
  }[];
}

/** Who asks, as the screen says it. */
export type VerifierLine =
  | { readonly verified: true; readonly name: string }
  | {
      readonly verified: false;
      /** What the request claims to be, unconfirmed; `undefined` when it says nothing. */
      readonly claimedName: string | undefined;
      readonly reason: AppMessageKey;
    };

/** An over-asking warning in words, with the claim named by its label. */
export interface WarningLine {
  readonly key: 'consent.warning.full_birth_date_asked' | 'consent.warning.claim_outside_claim_sets';
  readonly claim: string;
}

/** How an action button looks: both consent answers carry the same, and neither is the default. */
export interface ConsentAction {
  readonly action: 'share' | 'decline';
  readonly label: AppMessageKey;
  /** The CSS class: the same for both. */
  readonly style: 'answer';
}

export interface ConsentViewModel {
  readonly verifier: VerifierLine;
  readonly purpose: string | undefined;
  readonly satisfiable: boolean;
  /** Every credential query some stored document answers, in the verifier's order. */
  readonly sections: readonly ConsentSection[];
  /** The required credential sets whose option the holder may pick. */
  readonly optionChoices: readonly OptionChoice[];
  /** The request's credential sets, as `respond` reads them. */
  readonly credentialSets: readonly ConsentCredentialSet[];
  readonly warnings: readonly WarningLine[];
  /** Required documents the wallet holds nothing for (the reason an answer is impossible). */
  readonly missing: number;
  /** The holder's documents, by name, to say what the wallet does hold when it cannot answer. */
  readonly held: readonly string[];
  /** `share` and `decline` when the request can be answered; only `decline` when it cannot. */
  readonly actions: readonly ConsentAction[];
}

const REASONS: Readonly<Record<string, AppMessageKey>> = {
  unsigned_request: 'consent.reason.unsigned_request',
  no_trust_anchor: 'consent.reason.no_trust_anchor',
  untrusted_certificate: 'consent.reason.untrusted_certificate',
};

/** App labels for the members every W3C VC carries, which issuers do not describe. */
const W3C_LABELS: Readonly<Record<string, AppMessageKey>> = {
  issuer: 'claim_name.issuer',
  issuanceDate: 'claim_name.issued',
  validFrom: 'claim_name.issued',
  expirationDate: 'claim_name.expires',
  validUntil: 'claim_name.expires',
  'credentialSubject.id': 'claim_name.holder',
  id: 'claim_name.id',
};

/**
 * The consent screen's content for `consent`, with document names and claim labels from the
 * stored `records` in `locale`. `t` turns the app's own labels (W3C members) into words.
 */
export function consentViewModel(
  consent: Consent,
  records: readonly WalletRecord[],
  locale: string,
  t: (key: AppMessageKey) => string,
): ConsentViewModel {
  const cards = credentialCards(records, locale, Date.now());
  const cardOf = (id: string): CredentialCard | undefined => cards.find((card) => card.recordIds.includes(id));
  const sections: ConsentSection[] = [];
  let missing = 0;
  for (const query of consent.queries) {
    if (query.candidates.length === 0) {
      if (query.need === 'required') missing++;
      continue;
    }
    // One choice per document, made from its first candidate: the library lists the instances no
    // verifier has seen first, so that is the copy `respond` should send for it.
    const documents = new Map<string, DocumentChoice>();
    for (const candidate of query.candidates) {
      const card = cardOf(candidate.credentialId);
      const key = card?.receiptId ?? candidate.credentialId;
      if (documents.has(key)) continue;
      const lines = (claims: readonly ConsentClaim[]) =>
        claims.map((claim) => ({ ref: claim.ref, name: claim.name, label: labelOf(card, claim.name, claim.path, locale, t) }));
      documents.set(key, {
        key,
        credentialId: candidate.credentialId,
        card,
        disclosesEverything: candidate.disclosesEverything,
        required: candidate.disclosesEverything ? w3cLines(candidate, card, locale, t) : lines(candidate.required),
        optional: lines(candidate.optional),
        presentedBefore: candidate.presentedBefore,
      });
    }
    sections.push({ queryId: query.queryId, need: query.need, multiple: query.multiple, documents: [...documents.values()] });
  }
  const nameOf = (queryId: string): string =>
    sections.find((section) => section.queryId === queryId)?.documents[0]?.card?.name ?? t('credential.unnamed');
  const optionChoices: OptionChoice[] = [];
  for (const [index, set] of consent.credentialSets.entries()) {
    if (!set.required || set.implicit || set.defaultOption === undefined) continue;
    const options = set.options.flatMap((option, optionIndex) =>
      option.satisfiable ? [{ option: optionIndex, queryIds: option.queryIds, documents: option.queryIds.map(nameOf) }] : [],
    );
    if (options.length > 1) optionChoices.push({ set: index, defaultOption: set.defaultOption, options });
  }
  const labelByName = (queryId: string | undefined, name: string): string => {
    const card = sections.find((section) => section.queryId === queryId)?.documents[0]?.card;
    return labelOf(card, name, pathOfName(name), locale, t);
  };
  const warnings: WarningLine[] = [];
  for (const warning of consent.warnings) {
    if (warning.code === 'unverified_verifier' || warning.claim === undefined) continue;
    warnings.push({ key: `consent.warning.${warning.code}`, claim: labelByName(warning.queryId, warning.claim) });
  }
  const { verifier } = consent;
  return {
    verifier: verifier.verified
      ? { verified: true, name: displayText(verifier.name, 120) ?? verifier.clientId }
      : {
          verified: false,
          claimedName: displayText(verifier.claimedName, 120),
          reason: REASONS[verifier.reason] ?? 'consent.reason.unsigned_request',
        },
    purpose: displayText(consent.purpose?.text, 500),
    satisfiable: consent.satisfiable,
    sections,
    optionChoices,
    credentialSets: consent.credentialSets,
    warnings,
    missing,
    held: [...new Set(cards.map((card) => card.name ?? t('credential.unnamed')))],
    actions: consent.satisfiable
      ? [
          { action: 'share', label: 'consent.share', style: 'answer' },
          { action: 'decline', label: 'consent.decline', style: 'answer' },
        ]
      : [{ action: 'decline', label: 'consent.decline', style: 'answer' }],
  };
}

/** Every claim a W3C VC gives away, labelled: the issuer's labels for its subject, the app's for the rest. */
function w3cLines(
  candidate: ConsentCandidate,
  card: CredentialCard | undefined,
  locale: string,
  t: (key: AppMessageKey) => string,
): ClaimLine[] {
  const names = candidate.format === 'jwt_vc_json' ? candidate.sharedClaims : [];
  return names.map((name) => ({ ref: name, name, label: labelOf(card, name, pathOfName(name), locale, t) }));
}

/** `address.locality` → `['address', 'locality']`; `*` is any element (`null`); digits an index. */
function pathOfName(name: string): (string | number | null)[] {
  return name.split('.').map((step) => (step === '*' ? null : /^\d+$/.test(step) ? Number(step) : step));
}

function labelOf(
  card: CredentialCard | undefined,
  name: string,
  path: readonly (string | number | null)[],
  locale: string,
  t: (key: AppMessageKey) => string,
): string {
  const fromIssuer = card === undefined ? undefined : claimLabel(card.claimDescriptions, path, locale);
  if (fromIssuer !== undefined) return fromIssuer;
  const own = W3C_LABELS[name];
  if (own !== undefined && card?.format === 'jwt_vc_json') return t(own);
  // An SD-JWT VC's paths sit at the root; the same name with a number key (`age_equal_or_over.18`)
  // may be described by its parent only.
  if (card !== undefined && path.length > 1) {
    const parent = claimLabel(card.claimDescriptions, path.slice(0, -1), locale);
    if (parent !== undefined) return `${parent} › ${String(path.at(-1) ?? '*')}`;
  }
  return name;
}

/** How a credential query appears on the screen under the holder's current choices. */
export type ShownAs = 'required' | 'optional' | undefined;

/**
 * The holder's choices on one consent: every switch off, the verifier's preferred option of each
 * credential set, and for each query the library's default document. Whatever the holder changes,
 * `respondOptions` sends exactly what the screen shows switched on and chosen.
 */
export interface ConsentChoices {
  /** Whether the optional claim or document `ref` is switched on. */
  isOn(ref: string): boolean;
  /**
   * Switches an optional claim or document on or off. A required claim cannot be switched off (a
   * `TypeError`): the holder declines instead. A ref the screen does not show is a `TypeError` too.
   */
  set(ref: string, on: boolean): void;
  /** The chosen option of the credential set `set` (an `OptionChoice`). */
  option(set: number): number;
  /** Picks another satisfiable option of a set the holder may choose in; anything else is a `TypeError`. */
  chooseOption(set: number, option: number): void;
  /**
   * How the query shows now: `required` when the chosen options answer it, `optional` when the
   * holder may add the whole document, `undefined` when it is not part of the answer.
   */
  shown(queryId: string): ShownAs;
  /** The documents chosen for the query, in the screen's order (one, or several for `multiple`). */
  documents(queryId: string): readonly DocumentChoice[];
  /**
   * Chooses a document for the query: for a query that takes one it replaces the choice, for a
   * `multiple` one it adds (`on`) or removes it. `false`, changing nothing, when that would leave
   * no document; a key the query does not list is a `TypeError`.
   */
  chooseDocument(queryId: string, key: string, on?: boolean): boolean;
  /** The labels of what Share would send (for the receipt), without repeats. */
  sharedLabels(): string[];
  /** What `respond` gets: the switched-on refs, and the documents and options chosen where they differ from the library's defaults. */
  respondOptions(): RespondOptions;
}

/** The choices on `model`: every switch off, every default kept. */
export function consentChoices(model: ConsentViewModel): ConsentChoices {
  const sections = new Map(model.sections.map((section) => [section.queryId, section]));
  const options = new Map(model.optionChoices.map((choice) => [choice.set, choice.defaultOption]));
  const chosen = new Map(model.sections.map((section) => [section.queryId, [section.documents[0]?.key as string]]));
  const on = new Set<string>();

  const answeredBySets = (): Set<string> => {
    const answered = new Set<string>();
    for (const [index, set] of model.credentialSets.entries()) {
      if (!set.required) continue;
      const option = set.options[options.get(index) ?? set.defaultOption ?? -1];
      for (const id of option?.queryIds ?? []) answered.add(id);
    }
    return answered;
  };
  // §6.2: a query only in optional sets, or in none, is the holder's to add.
  const pickable = new Set(model.sections.filter((section) => section.need === 'optional').map((section) => section.queryId));
  for (const set of model.credentialSets) {
    if (!set.required) for (const option of set.options) for (const id of option.queryIds) pickable.add(id);
  }
  const shown = (queryId: string): ShownAs => {
    if (!sections.has(queryId)) return undefined;
    if (answeredBySets().has(queryId)) return 'required';
    return pickable.has(queryId) ? 'optional' : undefined;
  };
  const documents = (queryId: string): DocumentChoice[] => {
    const keys = chosen.get(queryId) ?? [];
    return (sections.get(queryId)?.documents ?? []).filter((document) => keys.includes(document.key));
  };
  /** What the screen shows as switches now: ref → its query (a query id stands for its whole document). */
  const switches = (): Map<string, string> => {
    const visible = new Map<string, string>();
    for (const queryId of sections.keys()) {
      const how = shown(queryId);
      if (how === undefined) continue;
      if (how === 'optional') visible.set(queryId, queryId);
      for (const document of documents(queryId)) for (const claim of document.optional) visible.set(claim.ref, queryId);
    }
    return visible;
  };
  const answered = (queryId: string): boolean => {
    const how = shown(queryId);
    return how === 'required' || (how === 'optional' && on.has(queryId));
  };
  // After a change of option or document, a switch the screen no longer shows is off.
  const prune = (): void => {
    const visible = switches();
    for (const ref of on) if (!visible.has(ref)) on.delete(ref);
  };

  return {
    isOn: (ref) => on.has(ref),
    set: (ref, value) => {
      if (!switches().has(ref)) {
        const required = [...sections.keys()].some((queryId) =>
          documents(queryId).some((document) => document.required.some((claim) => claim.ref === ref)),
        );
        throw new TypeError(required ? 'A required claim cannot be switched off' : 'No such optional item');
      }
      if (value) on.add(ref);
      else on.delete(ref);
    },
    option: (set) => options.get(set) ?? -1,
    chooseOption: (set, option) => {
      const choice = model.optionChoices.find((candidate) => candidate.set === set);
      if (choice === undefined || !choice.options.some((candidate) => candidate.option === option)) {
        throw new TypeError(`Credential set ${set} has no option ${option} to choose`);
      }
      options.set(set, option);
      prune();
    },
    shown,
    documents,
    chooseDocument: (queryId, key, value = true) => {
      const section = sections.get(queryId);
      if (section === undefined || !section.documents.some((document) => document.key === key)) {
        throw new TypeError(`Query ${queryId} has no document ${key}`);
      }
      const keys = chosen.get(queryId) ?? [];
      // A query that takes one document is answered by another one, never by none.
      if (!section.multiple && !value) return false;
      const next = !section.multiple ? [key] : value ? [...new Set([...keys, key])] : keys.filter((known) => known !== key);
      if (next.length === 0) return false;
      chosen.set(queryId, next);
      prune();
      return true;
    },
    sharedLabels: () => {
      const labels = new Set<string>();
      for (const queryId of sections.keys()) {
        if (!answered(queryId)) continue;
        for (const document of documents(queryId)) {
          for (const claim of document.required) labels.add(claim.label);
          for (const claim of document.optional) if (on.has(claim.ref)) labels.add(claim.label);
        }
      }
      return [...labels];
    },
    respondOptions: () => {
      const visible = switches();
      // An optional claim of an optional document goes only with its document.
      const optional = [...on].filter((ref) => {
        const queryId = visible.get(ref) as string;
        return ref === queryId || answered(queryId);
      });
      const credentials: Record<string, string | string[]> = {};
      for (const [queryId, section] of sections) {
        if (!answered(queryId)) continue;
        const ids = documents(queryId).map((document) => document.credentialId);
        if (ids.length === 1 && ids[0] === section.documents[0]?.credentialId) continue;
        credentials[queryId] = ids.length === 1 ? (ids[0] as string) : ids;
      }
      const choice: Record<number, number> = {};
      for (const { set, defaultOption } of model.optionChoices) {
        const picked = options.get(set) ?? defaultOption;
        if (picked !== defaultOption) choice[set] = picked;
      }
      return {
        optional,
        ...(Object.keys(credentials).length === 0 ? {} : { credentials }),
        ...(Object.keys(choice).length === 0 ? {} : { choice }),
      };
    },
  };
}
