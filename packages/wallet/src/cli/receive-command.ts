import { isTesseraError } from '@tessera/shared';
import { type ReceivedCredentials, receiveCredential, type Wallet } from '../index.ts';
import { type CliContext, say } from './context.ts';
import { credentialViews, shortId } from './display.ts';
import { askPin } from './secrets.ts';
import { trustFor, withWallet } from './wallet-folder.ts';

/**
 * `tessera-wallet receive <offer-link>`: receives the offered credential (OpenID4VCI 1.0,
 * pre-authorized code flow) from an issuer on the trust list. The PIN comes from `--pin`, or is
 * asked for once the offer turns out to need one (before any request could spend an attempt).
 */
export async function receiveCommand(context: CliContext, offer: string): Promise<void> {
  const { trust } = await trustFor(context);
  await withWallet(context, async (wallet) => {
    const receive = (txCode: string | undefined): Promise<ReceivedCredentials> =>
      receiveCredential(wallet, offer, {
        trust,
        allowInsecureLocalhost: context.options.allowInsecureLocalhost,
        ...(txCode === undefined ? {} : { txCode }),
      });
    let received: ReceivedCredentials;
    try {
      received = await receive(context.options.pin);
    } catch (error) {
      // The library refuses an offer that needs a PIN before redeeming anything, so asking now
      // and trying again costs the holder no attempt.
      if (!isTesseraError(error, 'tx_code_required') || context.options.pin !== undefined) throw error;
      received = await receive(await askPin(context));
    }
    await printReceived(context, wallet, received);
  });
}

async function printReceived(context: CliContext, wallet: Wallet, received: ReceivedCredentials): Promise<void> {
  const records = await wallet.records.list('credential');
  const ids = new Set(received.credentialIds);
  const [view] = credentialViews(
    records.filter((record) => ids.has(record.id)),
    context.languages,
  );
  const name = view?.name ?? received.configurationId;
  context.out(say(context, 'receive.done', { credential: name, issuer: view?.issuerName ?? received.issuer }));
  context.out(say(context, 'receive.copies', { id: shortId(view?.id ?? ''), count: received.credentialIds.length }));
  if (!received.issuerTrusted) context.out(say(context, 'receive.untrusted'));
}
