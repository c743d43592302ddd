import type { JsonObject, JsonValue } from '@tessera/shared';
import type { HistoryEntry } from '../index.ts';
import { type CliContext, say } from './context.ts';
import { type CredentialView, claimLabel, cleanText, credentialViews, pathOfName, typeOf } from './display.ts';
import { withWallet } from './wallet-folder.ts';

/**
 * `tessera-wallet history [--json]`: what the wallet received, shared and declined, oldest first:
 * when, with whom, why, and the names of the claims shared, in the holder's language. The
 * history holds no claim values, so none can be printed.
 */
export async function historyCommand(context: CliContext): Promise<void> {
  const { entries, views } = await withWallet(context, async (wallet) => ({
    entries: await wallet.history.list(),
    views: credentialViews(await wallet.records.list('credential'), context.languages),
  }));
  if (context.options.json) {
    context.out(
      JSON.stringify(
        entries.map((entry) => ({ at: new Date(entry.at).toISOString(), event: entry.event, details: entry.details })),
        null,
        2,
      ),
    );
    return;
  }
  if (entries.length === 0) {
    context.out(say(context, 'history.empty'));
    return;
  }
  for (const entry of entries) for (const line of describe(context, entry, views)) context.out(line);
}

function describe(context: CliContext, entry: HistoryEntry, views: readonly CredentialView[]): string[] {
  const date = context.i18n.formatDate(entry.at, { dateStyle: 'medium', timeStyle: 'short' });
  const { details } = entry;
  switch (entry.event) {
    case 'credential_received': {
      const ids = strings(details.credentialIds);
      const view = views.find((candidate) => candidate.recordIds.some((id) => ids.includes(id))) ?? byType(views, details);
      return [
        say(context, 'history.received', {
          date,
          credential: view?.name ?? cleanText(typeOf(details) || '?', 120),
          issuer: view?.issuerName ?? cleanText(details.issuer ?? '?', 120),
        }),
      ];
    }
    case 'credential_presented': {
      const disclosed = Array.isArray(details.disclosed) ? details.disclosed.filter(isObject) : [];
      const claims = disclosed.flatMap((item) => {
        const record = byType(views, item)?.record;
        return strings(item.claims).map((name) => claimLabel(record, pathOfName(name), context.languages));
      });
      return [
        say(context, 'history.presented', { date, verifier: verifierOf(context, details.verifier), claims: claims.join(', ') }),
        ...purposeAndOutcome(context, details, 'history.accepted'),
      ];
    }
    case 'presentation_declined':
      return [
        say(context, 'history.declined', { date, verifier: verifierOf(context, details.verifier) }),
        // For a refusal, "accepted" means the verifier got the access_denied.
        ...purposeAndOutcome(context, details, 'history.told'),
      ];
    case 'credential_deleted':
      return [say(context, 'history.deleted', { date })];
    case 'backup_restored':
      return [say(context, 'history.restored', { date })];
    case 'passphrase_changed':
      return [say(context, 'history.passphrase_changed', { date })];
  }
}

function purposeAndOutcome(context: CliContext, details: JsonObject, delivered: 'history.accepted' | 'history.told'): string[] {
  const lines: string[] = [];
  if (typeof details.purpose === 'string')
    lines.push(say(context, 'history.purpose', { purpose: cleanText(details.purpose, 500) }));
  const outcome = isObject(details.outcome) ? details.outcome : {};
  const code = cleanText(typeof outcome.code === 'string' ? outcome.code : `HTTP ${String(outcome.status ?? '?')}`, 64);
  if (outcome.result === 'accepted') lines.push(say(context, delivered));
  else if (outcome.result === 'rejected') lines.push(say(context, 'history.rejected', { code }));
  else if (outcome.result === 'not_delivered') lines.push(say(context, 'history.not_delivered', { code }));
  return lines;
}

function verifierOf(context: CliContext, value: JsonValue | undefined): string {
  const verifier = isObject(value) ? value : {};
  if (verifier.verified === true && typeof verifier.name === 'string') return cleanText(verifier.name, 120);
  return say(context, 'verifier.unverified_name', { name: cleanText(verifier.clientId ?? '?', 120) });
}

/** A stored credential of the kind a history entry names, for its labels. */
function byType(views: readonly CredentialView[], details: JsonObject): CredentialView | undefined {
  const type = typeOf(details);
  return type === '' ? undefined : views.find((view) => view.type === type);
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
