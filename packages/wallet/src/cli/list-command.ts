import { decodeJws, type JsonObject } from '@tessera/shared';
import { holderView } from '../index.ts';
import { CliError } from './cli-error.ts';
import { type CliContext, say } from './context.ts';
import { type CredentialView, claimViews, credentialViews, findCredential, formatValue, shortId } from './display.ts';
import { withWallet } from './wallet-folder.ts';

/** `tessera-wallet list [--json]`: the credentials, in the holder's language. No claim values. */
export async function listCommand(context: CliContext): Promise<void> {
  const views = await withWallet(context, async (wallet) =>
    credentialViews(await wallet.records.list('credential'), context.languages),
  );
  if (context.options.json) {
    context.out(JSON.stringify(views.map(summary), null, 2));
    return;
  }
  if (views.length === 0) {
    context.out(say(context, 'list.empty'));
    return;
  }
  context.out(say(context, 'list.count', { count: views.length }));
  for (const view of views) {
    context.out(`  ${shortId(view.id)}  ${view.name}`);
    for (const line of facts(context, view)) context.out(`      ${line}`);
  }
  context.out(say(context, 'list.more'));
}

/**
 * `tessera-wallet show <id> [--json]`: one credential with every claim and its value. The values
 * are the holder's own data, shown on their own terminal; they never go to the history or to an
 * error message.
 */
export async function showCommand(context: CliContext, wanted: string): Promise<void> {
  const { view, claims } = await withWallet(context, async (wallet) => {
    const views = credentialViews(await wallet.records.list('credential'), context.languages);
    const found = findCredential(views, wanted);
    if ('problem' in found) {
      throw new CliError(found.problem === 'unknown' ? 'input.unknown_credential' : 'input.ambiguous_credential', {
        fix: found.problem === 'unknown' ? 'fix.unknown_credential' : 'fix.ambiguous_credential',
        values: { id: wanted.slice(0, 40) },
      });
    }
    const payload = await holderClaims(found.found.record);
    return { view: found.found, claims: claimViews(found.found.record, payload, context.languages) };
  });
  if (context.options.json) {
    context.out(
      JSON.stringify({ ...summary(view), claims: claims.map(({ path, label, value }) => ({ path, label, value })) }, null, 2),
    );
    return;
  }
  context.out(view.name);
  if (view.description !== undefined) context.out(view.description);
  context.out(`  ${say(context, 'label.id')}: ${view.id}`);
  for (const line of facts(context, view)) context.out(`  ${line}`);
  context.out(`  ${say(context, 'label.type')}: ${view.type}`);
  context.out(`${say(context, 'label.data')}:`);
  for (const claim of claims) context.out(`  ${claim.label}: ${formatValue(claim.value, context.i18n)}`);
}

/**
 * Every claim the holder holds: an SD-JWT VC with all its disclosures applied; the
 * `credentialSubject` of a W3C VC (whose claim metadata paths start there, OpenID4VCI 1.0 A.1.1).
 */
async function holderClaims(record: JsonObject): Promise<JsonObject> {
  if (typeof record.sdJwt === 'string') return holderView(record.sdJwt);
  if (typeof record.jwt === 'string') {
    const vc = decodeJws(record.jwt, 'malformed_jwt').payload.vc;
    const subject = isObject(vc) && isObject(vc.credentialSubject) ? vc.credentialSubject : {};
    const { id: _holderDid, ...claims } = subject;
    return { credentialSubject: claims };
  }
  return {};
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The last day a credential is valid on, in UTC: `exp` is the first second it is not (RFC 7519
 * §4.1.4), and issuers end a permit at the first second after its stated day, so this names the
 * same day as the permit's own "valid until" field.
 */
function lastValidDay(context: CliContext, expiresAt: number): string {
  return context.i18n.formatDate(expiresAt - 1000, { dateStyle: 'long', timeZone: 'UTC' });
}

function facts(context: CliContext, view: CredentialView): string[] {
  const date = (time: number | undefined): string =>
    time === undefined ? say(context, 'value.none') : context.i18n.formatDate(time, { dateStyle: 'long' });
  const issuer = view.issuerTrusted ? view.issuerName : `${view.issuerName} (${say(context, 'label.untrusted')})`;
  return [
    `${say(context, 'label.issuer')}: ${issuer}`,
    `${say(context, 'label.received')}: ${date(view.receivedAt)} · ${say(context, 'label.valid_until')}: ${
      view.expiresAt === undefined ? say(context, 'label.no_end') : lastValidDay(context, view.expiresAt)
    }`,
  ];
}

/** The machine form of a credential for `--json`: no claim values. */
function summary(view: CredentialView): JsonObject {
  const iso = (time: number | undefined): string | null => (time === undefined ? null : new Date(time).toISOString());
  return {
    id: view.id,
    name: view.name,
    description: view.description ?? null,
    issuer: { id: view.issuer, name: view.issuerName, trusted: view.issuerTrusted },
    format: view.format,
    type: view.type,
    receivedAt: iso(view.receivedAt),
    expiresAt: iso(view.expiresAt),
    copies: view.recordIds.length,
  };
}
