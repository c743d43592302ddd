import type { JsonObject } from '@tessera/shared';
import {
  type Consent,
  type ConsentCandidate,
  type ConsentClaim,
  decline,
  openRequest,
  respond,
  type VerifierIdentity,
  type Wallet,
} from '../index.ts';
import { CliError } from './cli-error.ts';
import { type CliContext, say } from './context.ts';
import { type CredentialView, claimLabel, cleanText, credentialViews, pathOfName } from './display.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { trustFor, withWallet } from './wallet-folder.ts';

/**
 * `tessera-wallet present <request-link>`: the consent dialogue of OpenID4VP 1.0 §6.4 on a
 * terminal. It shows who asks (verified, or a loud UNVERIFIED with the reason), why, over-asking
 * warnings, and what each credential would disclose; asks about every optional claim (default
 * no) and then "Share?" (default no). No declines: the verifier gets `access_denied`. Scripts
 * answer with `--yes` / `--no` and pick optional claims with `--with`.
 */
export async function presentCommand(context: CliContext, link: string): Promise<ExitCode> {
  const { trustAnchors } = await trustFor(context);
  return withWallet(context, async (wallet) => {
    const consent = await openRequest(wallet, link, {
      trustAnchors,
      allowInsecureLocalhost: context.options.allowInsecureLocalhost,
      languages: context.languages,
    });
    const views = credentialViews(await wallet.records.list('credential'), context.languages);
    const byRecord = new Map(views.flatMap((view) => view.recordIds.map((id) => [id, view] as const)));
    const dialogue = new Dialogue(context, consent, byRecord);
    dialogue.showHeader();
    if (!consent.satisfiable) return dialogue.cannotAnswer(wallet);
    const optional = await dialogue.chooseOptional();
    const verifier = verifierName(context, consent.verifier);
    const yes =
      context.options.yes || (!context.options.no && (await dialogue.confirm(say(context, 'present.ask_share', { verifier }))));
    if (!yes) {
      await decline(wallet, consent);
      context.out(say(context, 'present.declined', { verifier }));
      return EXIT.declined;
    }
    const answer = await respond(wallet, consent, { optional: [...optional] });
    if (!answer.accepted) {
      const code = answer.body.tessera_code ?? answer.body.error;
      throw new CliError('error.verifier_rejected', {
        fix: 'fix.verifier_rejected',
        values: { verifier, code: typeof code === 'string' ? cleanText(code, 64) : `HTTP ${answer.status}` },
        exitCode: EXIT.refused,
      });
    }
    context.out(say(context, 'present.shared', { verifier }));
    return EXIT.ok;
  });
}

/** The verifier's name for sentences: the verified name, or what it claims (or its client id) marked UNVERIFIED. */
function verifierName(context: CliContext, verifier: VerifierIdentity): string {
  if (verifier.verified) return cleanText(verifier.name, 120);
  return say(context, 'verifier.unverified_name', { name: cleanText(verifier.claimedName ?? verifier.clientId, 120) });
}

/** An optional item the holder may add: a claim (`ref`) or a whole optional credential query (its id). */
interface OptionalItem {
  /** What `respond` takes. */
  readonly ref: string;
  /** What `--with` may name it by. */
  readonly names: readonly string[];
  /** For an optional claim inside an optional query: that query's id, picked along with it. */
  readonly queryId?: string;
}

class Dialogue {
  readonly #context: CliContext;
  readonly #consent: Consent;
  readonly #byRecord: ReadonlyMap<string, CredentialView>;

  constructor(context: CliContext, consent: Consent, byRecord: ReadonlyMap<string, CredentialView>) {
    this.#context = context;
    this.#consent = consent;
    this.#byRecord = byRecord;
  }

  /** Who asks, whether that is verified, why, and the over-asking warnings. */
  showHeader(): void {
    const context = this.#context;
    const { verifier, purpose, warnings } = this.#consent;
    context.out(say(context, 'present.asks', { name: verifierName(context, verifier) }));
    if (verifier.verified) {
      context.out(say(context, 'present.verified'));
    } else {
      context.out(say(context, 'present.unverified'));
      context.out(say(context, `present.reason.${verifier.reason}`));
      context.out(say(context, 'present.client_id', { clientId: cleanText(verifier.clientId, 200) }));
    }
    context.out(
      purpose === undefined
        ? say(context, 'present.no_purpose')
        : say(context, 'present.purpose', { purpose: cleanText(purpose.text, 500) }),
    );
    for (const warning of warnings) {
      if (warning.code === 'unverified_verifier') continue; // said loudly above
      const claim = this.#label(warning.queryId, warning.claim ?? '');
      context.out(say(context, `present.warning.${warning.code}`, { claim }));
    }
    context.out();
  }

  /**
   * Shows what each answered credential discloses and collects the optional items the holder
   * adds: from `--with` (then nothing is asked about them), or one y/N question each.
   */
  async chooseOptional(): Promise<Set<string>> {
    const context = this.#context;
    const scripted = context.options.yes || context.options.no || context.options.with.length > 0;
    const picked = scripted ? this.#fromWith() : new Set<string>();
    const shared: string[] = [];
    for (const query of this.#consent.queries) {
      const candidate = query.candidates[0];
      if (query.need === 'alternative' || candidate === undefined) continue;
      const view = this.#byRecord.get(candidate.credentialId);
      const credential = view?.name ?? cleanText(candidateType(candidate), 120);
      // A W3C VC cannot disclose claims one by one: the verifier gets all of it, so say so.
      const whole = wholeCredential(candidate);
      const labels =
        whole === undefined
          ? candidate.required.map((claim) => this.#claimLabel(claim, view))
          : whole.map((name) => claimLabel(view?.record, pathOfName(name), context.languages));
      if (query.need === 'optional') {
        context.out(say(context, 'present.optional_credential', { credential }));
        if (whole !== undefined) context.out(say(context, 'present.whole_credential'));
        this.#listLabels(labels);
        const wanted = scripted
          ? picked.has(query.queryId)
          : await this.confirm(say(context, 'present.ask_optional_credential', { credential }));
        if (!wanted) continue;
        picked.add(query.queryId);
      } else {
        context.out(say(context, 'present.from', { credential, issuer: view?.issuerName ?? '?' }));
        context.out(say(context, whole === undefined ? 'present.will_share' : 'present.whole_credential'));
        this.#listLabels(labels);
      }
      shared.push(...labels);
      if (candidate.presentedBefore) context.out(say(context, 'present.presented_before'));
      if (candidate.optional.length > 0) {
        context.out(say(context, 'present.may_add'));
        this.#listClaims(candidate.optional, view);
      }
      for (const claim of candidate.optional) {
        const label = this.#claimLabel(claim, view);
        const wanted = scripted ? picked.has(claim.ref) : await this.confirm(say(context, 'present.ask_optional', { label }));
        if (wanted) {
          picked.add(claim.ref);
          shared.push(label);
        }
      }
    }
    context.out(say(context, 'present.summary', { claims: shared.join(', ') }));
    return picked;
  }

  /** A y/N question; anything but a yes (an empty line, the end of the input) is no. */
  async confirm(question: string): Promise<boolean> {
    const context = this.#context;
    const answer = await context.prompter.ask(`${question} ${say(context, 'prompt.yes_no')} `);
    const yes = new Set(['y', 'yes', ...say(context, 'answer.yes').split('|')].map((word) => word.toLocaleLowerCase()));
    return answer !== undefined && yes.has(answer.trim().toLocaleLowerCase());
  }

  /**
   * No stored credential answers a required query (§6.4.2): say which, offer to tell the
   * verifier (which then stops waiting), and end with exit 4 either way.
   */
  async cannotAnswer(wallet: Wallet): Promise<never> {
    const context = this.#context;
    const verifier = verifierName(context, this.#consent.verifier);
    for (const query of this.#consent.queries) {
      if (query.need === 'required' && query.candidates.length === 0) {
        context.out(say(context, 'present.missing', { query: cleanText(query.queryId, 80) }));
      }
    }
    const tell =
      context.options.no || (!context.options.yes && (await this.confirm(say(context, 'present.ask_tell_cannot', { verifier }))));
    if (tell) {
      await decline(wallet, this.#consent);
      context.out(say(context, 'present.told_cannot', { verifier }));
    } else {
      context.out(say(context, 'present.nothing_sent'));
    }
    throw new CliError('error.cannot_answer', { fix: 'fix.cannot_answer', exitCode: EXIT.refused });
  }

  /** The optional items `--with` names; an unknown name is a usage error, before anything is sent. */
  #fromWith(): Set<string> {
    const items = this.#optionalItems();
    const picked = new Set<string>();
    for (const wanted of this.#context.options.with) {
      const matches = items.filter((item) => item.names.includes(wanted));
      if (matches.length === 0) {
        const choices = [...new Set(items.map((item) => item.names[item.names.length - 1] as string))];
        throw new CliError('input.unknown_with', {
          fix: 'fix.unknown_with',
          values: {
            name: cleanText(wanted, 80),
            choices: choices.length === 0 ? say(this.#context, 'input.none') : choices.join(', '),
          },
        });
      }
      for (const item of matches) {
        picked.add(item.ref);
        if (item.queryId !== undefined) picked.add(item.queryId);
      }
    }
    return picked;
  }

  #optionalItems(): OptionalItem[] {
    const items: OptionalItem[] = [];
    for (const query of this.#consent.queries) {
      const candidate: ConsentCandidate | undefined = query.candidates[0];
      if (query.need === 'alternative' || candidate === undefined) continue;
      if (query.need === 'optional') items.push({ ref: query.queryId, names: [query.queryId] });
      for (const claim of candidate.optional) {
        items.push({
          ref: claim.ref,
          names: [claim.ref, claim.name],
          ...(query.need === 'optional' ? { queryId: query.queryId } : {}),
        });
      }
    }
    return items;
  }

  #listClaims(claims: readonly ConsentClaim[], view: CredentialView | undefined): void {
    this.#listLabels(claims.map((claim) => this.#claimLabel(claim, view)));
  }

  #listLabels(labels: readonly string[]): void {
    for (const label of labels) this.#context.out(say(this.#context, 'present.claim', { label }));
  }

  #claimLabel(claim: ConsentClaim, view: CredentialView | undefined): string {
    return claimLabel(view?.record, claim.path, this.#context.languages);
  }

  /** The label of a claim named in a warning, from the credential that answers its query. */
  #label(queryId: string | undefined, name: string): string {
    const query = this.#consent.queries.find((candidate) => candidate.queryId === queryId);
    const candidate = query?.candidates[0];
    const record: JsonObject | undefined =
      candidate === undefined ? undefined : this.#byRecord.get(candidate.credentialId)?.record;
    return claimLabel(record, pathOfName(name), this.#context.languages);
  }
}

/** The `vct` of an SD-JWT VC candidate, the types of a W3C VC one. */
function candidateType(candidate: ConsentCandidate): string {
  if ('vct' in candidate && typeof candidate.vct === 'string') return candidate.vct;
  if ('types' in candidate && Array.isArray(candidate.types)) return candidate.types.join(', ');
  return '';
}

/** The names of every claim a candidate that cannot disclose selectively would share; `undefined` for an SD-JWT VC. */
function wholeCredential(candidate: ConsentCandidate): readonly string[] | undefined {
  if (!('disclosesEverything' in candidate) || candidate.disclosesEverything !== true) return undefined;
  return 'sharedClaims' in candidate && Array.isArray(candidate.sharedClaims) ? (candidate.sharedClaims as string[]) : [];
}
