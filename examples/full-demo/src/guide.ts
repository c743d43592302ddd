import type { RunningDemo } from './start-demo.ts';

/**
 * What the demo prints once it runs: the three addresses and the story to try. This is operator
 * output for the person running the demo in a terminal, in English; everything migrants and staff
 * see is in the pages, which are translated.
 */
export function demoGuide(demo: RunningDemo): string[] {
  const [city, school] = demo.issuer.tenants;
  const lines = [
    'Tessera is running on this machine.',
    '',
    `  Wallet app (the migrant)       ${demo.wallet.url}`,
    `  Staff page (the issuer)        ${city?.staffPage ?? ''}`,
    `                                 ${school?.staffPage ?? ''}`,
    `  Service desk (the verifier)    ${demo.desk.deskPage}`,
    '',
    'Staff API keys (paste one into its staff page to log in):',
    ...demo.issuer.tenants.map((tenant) => `  ${tenant.id.padEnd(8)} ${demo.staffKeys[tenant.id] ?? ''}`),
    '',
    'Try it:',
    '  1. In the City staff page, create a residence permit offer. Note the PIN.',
    '  2. Open the wallet app, choose a language and a PIN, then paste the offer link and enter the offer PIN.',
    '  3. In the service desk, ask for proof of residence; open its link in the wallet and share.',
    '  4. The desk shows the verified result. Revoke the permit in the staff page and ask again: the desk refuses it.',
    '',
    `Data: ${demo.dataDir} (delete it to start afresh; --data <folder> puts it elsewhere)`,
    'Stop with Ctrl-C.',
  ];
  return lines;
}
