import type { RunningDemo } from './start-demo.ts';

/**
 * A smoke check of a running demo, for CI (`--check`): each page and the issuer's metadata
 * answer, and the desk can start a transaction with a signed request. Throws on the first failure.
 */
export async function checkDemo(demo: RunningDemo): Promise<string[]> {
  const lines: string[] = [];
  const expectOk = async (label: string, url: string, contentType: RegExp): Promise<Response> => {
    const response = await fetch(url);
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !contentType.test(type)) {
      throw new Error(`${label} at ${url} answered ${response.status} ${type}`);
    }
    lines.push(`ok  ${label}  ${url}`);
    return response;
  };
  for (const tenant of demo.issuer.tenants) {
    await expectOk(`staff page of ${tenant.id}`, tenant.staffPage, /^text\/html/);
    const metadata = `${demo.issuer.origin}/.well-known/openid-credential-issuer/tenants/${tenant.id}`;
    await expectOk(`issuer metadata of ${tenant.id}`, metadata, /json/);
  }
  await expectOk('service desk', demo.desk.deskPage, /^text\/html/);
  await expectOk('wallet app', demo.wallet.url, /^text\/html/);
  await expectOk('wallet app configuration', `${demo.wallet.url}wallet-config.json`, /json/);
  const { link } = await demo.desk.verifier.start({ query: residenceQuery() });
  const requestUri = new URL(link).searchParams.get('request_uri');
  if (requestUri === null) throw new Error('The desk link has no request_uri');
  lines.push(`ok  desk transaction  ${link.slice(0, 40)}…`);
  return lines;
}

function residenceQuery() {
  return {
    credentials: [
      {
        id: 'permit',
        format: 'dc+sd-jwt',
        meta: { vct_values: ['https://tessera.example/credentials/residence-permit'] },
        claims: [{ path: ['residence_status'] }],
      },
    ],
  };
}
