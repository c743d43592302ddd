import { fail } from '@tessera/shared';
import { createProfile } from '../index.ts';
import { nodeScrypt } from '../node.ts';
import { type CliContext, say } from './context.ts';
import { walletPassphrase } from './secrets.ts';
import { hasProfile, openStore, scryptParamsFor, trustFor, writeConfig } from './wallet-folder.ts';

/**
 * `tessera-wallet init`: creates the profile under a new passphrase (asked twice on a terminal)
 * and stores the trust settings given with it. An existing profile is left alone
 * (`profile_exists`), and a bad trust file stops it before anything is written.
 */
export async function initCommand(context: CliContext): Promise<void> {
  const { profile } = context.options;
  const scryptParams = scryptParamsFor(context);
  const config = await trustFor(context);
  const store = await openStore(context, { create: true });
  try {
    if (await hasProfile(store, profile)) fail('profile_exists', `The profile ${profile} exists`);
    const passphrase = await walletPassphrase(context, { create: true });
    const wallet = await createProfile({ store, profile, passphrase, scrypt: nodeScrypt, ...scryptParams });
    wallet.lock();
  } finally {
    await store.close();
  }
  await writeConfig(context.dir, config);
  context.out(say(context, 'init.created', { profile, dir: context.dir }));
  context.out(say(context, 'init.keep_passphrase'));
  context.out(say(context, 'init.trust', { issuers: config.trust.issuers.length, anchors: config.trustAnchors.length }));
  context.out(say(context, 'init.next'));
}
