/**
 * `pnpm bench [--json] [--budget-ms=1500]`: Tessera and sd-jwt-js side by side in one process,
 * against the raw node:crypto ES256 limit. Progress goes to stderr; the summary table (or, with
 * `--json`, only the JSON) goes to stdout. pnpm itself prints a `> tessera@ bench` banner on
 * stdout: use `pnpm -s bench --json` for output that is JSON and nothing else.
 *
 * Rows: issue (SD-JWT VC, 10 disclosable claims, one of them a nested object with 3 disclosable
 * members, cnf holder key, typ dc+sd-jwt), present (3 claims + KB-JWT), verify (presentation with
 * KB-JWT; keys imported once and cached, as the issue asks), verify with a new holder key each
 * time (a key import per presentation for both libraries), status-list (decode + one lookup in a
 * 1,000,000-entry 1-bit list).
 */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { StatusList as SdJwtJsStatusList } from '@sd-jwt/jwt-status-list';
import { issueSdJwtVc, type JsonObject, type Jwk, presentSdJwt, verifySdJwtVc } from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import {
  AUDIENCE,
  createFixtures,
  ISSUER,
  NONCE,
  PRESENTED_CLAIMS,
  SD_JWT_JS_DISCLOSURE_FRAME,
  SD_JWT_JS_PRESENTATION_FRAME,
  SUBJECT_CLAIMS,
  TESSERA_DISCLOSABLE,
  TESSERA_PRESENTED,
  VCT,
} from './fixtures.ts';
import { type Case, type Measurement, type MeasureOptions, measureInterleaved } from './harness.ts';
import { prepareStatusList } from './status-list.ts';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const budgetArg = args.find((arg) => arg.startsWith('--budget-ms='));
const options: MeasureOptions = {
  budgetMs: budgetArg === undefined ? 1500 : Number(budgetArg.slice('--budget-ms='.length)),
  warmupMs: 300,
};
if (!Number.isFinite(options.budgetMs) || options.budgetMs <= 0) throw new TypeError('--budget-ms must be a positive number');

const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Measures one group of cases that are compared with each other, in alternating slices. */
async function timedGroup(title: string, cases: Case[]): Promise<Measurement[]> {
  progress(title);
  const results = await measureInterleaved(cases, options);
  for (const result of results) {
    progress(
      `  ${result.label.padEnd(42)} ${formatOps(result.opsPerSec).padStart(10)} ops/s  ${formatMs(result.meanMs).padStart(8)} ms/op` +
        `  (cpu ${formatMs(result.cpuMsPerOp)} ms/op)  ±${result.spreadPercent.toFixed(1)}%`,
    );
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Inputs, prepared and checked once before any timing.
progress('Preparing keys, credentials and presentations…');
const fx = await createFixtures();

const tesseraIssue = (): Promise<string> =>
  issueSdJwtVc({
    issuer: ISSUER,
    vct: VCT,
    claims: SUBJECT_CLAIMS,
    disclosable: TESSERA_DISCLOSABLE,
    holderKey: fx.holder.publicJwk,
    signingKey: fx.tessera.issuerKey,
    crypto: nodeCrypto,
  });
const sdJwtJsIssue = (): Promise<string> =>
  fx.sdJwtJs.issue({ ...fx.registeredClaims, ...SUBJECT_CLAIMS } as never, SD_JWT_JS_DISCLOSURE_FRAME as never);

// Both libraries present and verify the same Tessera-issued credential, so they work on equal input.
const credential = await tesseraIssue();
const tesseraPresent = (): Promise<string> =>
  presentSdJwt(credential, {
    disclose: TESSERA_PRESENTED,
    crypto: nodeCrypto,
    keyBinding: { signingKey: fx.tessera.holderKey, audience: AUDIENCE, nonce: NONCE },
  });
const sdJwtJsPresent = (): Promise<string> =>
  fx.sdJwtJs.present(credential, SD_JWT_JS_PRESENTATION_FRAME as never, {
    kb: { payload: { aud: AUDIENCE, nonce: NONCE, iat: Math.floor(Date.now() / 1000) } },
  });

const presentation = await tesseraPresent();
const tesseraVerify = (vp: string) =>
  verifySdJwtVc(vp, {
    issuerKey: fx.issuer.publicJwk,
    crypto: nodeCrypto,
    keyBinding: 'required',
    audience: AUDIENCE,
    nonce: NONCE,
  });
const tesseraVerifyCredential = (sdJwt: string) =>
  verifySdJwtVc(sdJwt, { issuerKey: fx.issuer.publicJwk, crypto: nodeCrypto, keyBinding: 'forbidden' });
// keyBindingNonce turns on sd-jwt-js's KB-JWT check; without it the KB-JWT would be ignored.
const sdJwtJsVerify = (vp: string) => fx.sdJwtJs.verify(vp, { keyBindingNonce: NONCE });

{
  const registered = fx.registeredClaims;
  const allClaims = { ...registered, ...SUBJECT_CLAIMS };
  const presented = { ...registered, ...PRESENTED_CLAIMS };
  // The issued credentials: each library's output read by both.
  for (const sdJwt of [credential, await sdJwtJsIssue()]) {
    deepStrictEqual(withIat((await tesseraVerifyCredential(sdJwt)).claims, registered), allClaims);
    deepStrictEqual(withIat((await fx.sdJwtJs.verify(sdJwt)).payload as JsonObject, registered), allClaims);
  }
  // The presentations: each library's, verified by both with key binding.
  for (const vp of [presentation, await sdJwtJsPresent()]) {
    const tessera = await tesseraVerify(vp);
    const sdJwtJs = await sdJwtJsVerify(vp);
    deepStrictEqual(withIat(tessera.claims, registered), presented);
    deepStrictEqual(withIat(sdJwtJs.payload as JsonObject, registered), presented);
    strictEqual(sdJwtJs.kb?.payload.nonce, NONCE);
    strictEqual(tessera.keyBinding?.payload.aud, AUDIENCE);
  }
}

// Presentations from many holders, each credential bound to its own key: more holders than
// Tessera's verifier cache keeps (1,000 keys), so every verification imports the holder key, as
// at a desk that sees a new person each time.
const FRESH_HOLDERS = 1536;
const freshPresentations: string[] = [];
for (let i = 0; i < FRESH_HOLDERS; i++) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' }) as Jwk;
  const { d: _d, ...publicJwk } = privateJwk;
  const sdJwt = await issueSdJwtVc({
    issuer: ISSUER,
    vct: VCT,
    claims: SUBJECT_CLAIMS,
    disclosable: TESSERA_DISCLOSABLE,
    holderKey: publicJwk,
    signingKey: fx.tessera.issuerKey,
    crypto: nodeCrypto,
  });
  freshPresentations.push(
    await presentSdJwt(sdJwt, {
      disclose: TESSERA_PRESENTED,
      crypto: nodeCrypto,
      keyBinding: { signingKey: nodeSigningKey(privateJwk, 'ES256'), audience: AUDIENCE, nonce: NONCE },
    }),
  );
}
let freshCursor = 0;
const nextFreshPresentation = (): string => freshPresentations[freshCursor++ % FRESH_HOLDERS] as string;
for (const vp of freshPresentations.slice(0, 3)) {
  strictEqual((await tesseraVerify(vp)).keyBinding?.payload.nonce, NONCE);
  strictEqual((await sdJwtJsVerify(vp)).kb?.payload.nonce, NONCE);
}

/** Tessera stamps its own `iat`; the claims are compared with the fixture's. */
function withIat(claims: JsonObject, registered: JsonObject): JsonObject {
  return { ...claims, iat: registered.iat as number };
}

// The raw limit: node:crypto ES256 on a signing input the size of the issuer JWT's.
const signingInput = Buffer.from(credential.slice(0, credential.lastIndexOf('.', credential.indexOf('~'))));
const signKey = { key: fx.issuer.privateKey, dsaEncoding: 'ieee-p1363' as const };
const verifyKey = { key: fx.issuer.publicKey, dsaEncoding: 'ieee-p1363' as const };
const rawSignature = sign('sha256', signingInput, signKey);
strictEqual(verify('sha256', signingInput, verifyKey, rawSignature), true);

const statusList = await prepareStatusList();
{
  const decoded = SdJwtJsStatusList.decompressStatusList(statusList.encoded.lst, 1);
  strictEqual(decoded.getStatus(statusList.index), 1);
  for (const index of statusList.sample) {
    strictEqual(decoded.getStatus(index), statusList.expected(index), `sd-jwt-js reads status ${index} differently`);
  }
}

// ---------------------------------------------------------------------------------------------
// Timing.
progress(`Measuring (${options.warmupMs} ms warm-up, ${options.budgetMs} ms per case)…`);
const rawSignCase: Case = { label: 'raw node:crypto ES256 sign', fn: () => sign('sha256', signingInput, signKey) };
const rawVerifyCase: Case = {
  label: 'raw node:crypto ES256 verify',
  fn: () => verify('sha256', signingInput, verifyKey, rawSignature),
};
// Each library is timed in alternating slices with its peer and with the raw limit it is
// compared to, so the ratios are not skewed by the machine changing speed between cases.
const [rawSign, issueT, issueJ] = (await timedGroup('issue', [
  rawSignCase,
  { label: 'Tessera issueSdJwtVc', fn: tesseraIssue },
  { label: 'sd-jwt-js issue', fn: sdJwtJsIssue },
])) as [Measurement, Measurement, Measurement];
const [rawSignForPresent, presentT, presentJ] = (await timedGroup('present', [
  rawSignCase,
  { label: 'Tessera presentSdJwt', fn: tesseraPresent },
  { label: 'sd-jwt-js present', fn: sdJwtJsPresent },
])) as [Measurement, Measurement, Measurement];
const [rawVerify, verifyT, verifyJ, verifyFreshT, verifyFreshJ] = (await timedGroup('verify', [
  rawVerifyCase,
  { label: 'Tessera verifySdJwtVc', fn: () => tesseraVerify(presentation) },
  { label: 'sd-jwt-js verify (KB on)', fn: () => sdJwtJsVerify(presentation) },
  { label: 'Tessera verifySdJwtVc, new holder each time', fn: () => tesseraVerify(nextFreshPresentation()) },
  { label: 'sd-jwt-js verify, new holder each time', fn: () => sdJwtJsVerify(nextFreshPresentation()) },
])) as [Measurement, Measurement, Measurement, Measurement, Measurement];

const { encoded, index, decode, decodeWeb } = statusList;
const [statusT, statusWebT, statusJ] = (await timedGroup('status-list (1,000,000 entries, 1 bit, same lst for both)', [
  { label: 'Tessera decode+get (node:zlib)', fn: async () => (await decode(encoded)).get(index) },
  { label: 'Tessera decode+get (DecompressionStream)', fn: async () => (await decodeWeb(encoded)).get(index) },
  { label: 'sd-jwt-js decompress+getStatus', fn: () => SdJwtJsStatusList.decompressStatusList(encoded.lst, 1).getStatus(index) },
])) as [Measurement, Measurement, Measurement];

// ---------------------------------------------------------------------------------------------
// Report.
interface Row {
  case: string;
  tessera: Measurement;
  sdJwtJs: Measurement;
  /** Tessera ops/s ÷ sd-jwt-js ops/s. */
  ratio: number;
  /** Tessera ops/s as a share of what raw ES256 allows for the same work, in percent. */
  percentOfRawLimit: number | null;
}

const row = (name: string, tessera: Measurement, sdJwtJs: Measurement, rawLimit?: number): Row => ({
  case: name,
  tessera,
  sdJwtJs,
  ratio: tessera.opsPerSec / sdJwtJs.opsPerSec,
  percentOfRawLimit: rawLimit === undefined ? null : (tessera.opsPerSec / rawLimit) * 100,
});

const rows: Row[] = [
  // One ES256 signature per issued credential.
  row('issue', issueT, issueJ, rawSign.opsPerSec),
  // One ES256 signature (the KB-JWT) per presentation.
  row('present', presentT, presentJ, rawSignForPresent.opsPerSec),
  // Two ES256 verifications per presentation: the issuer JWT and the KB-JWT.
  row('verify', verifyT, verifyJ, rawVerify.opsPerSec / 2),
  // The same, with a holder key never seen before: one key import more per presentation.
  row('verify, new holder', verifyFreshT, verifyFreshJ, rawVerify.opsPerSec / 2),
  row('status-list', statusT, statusJ),
  // The same decode with the browser-compatible default inflate, for reference.
  row('status-list (web inflate)', statusWebT, statusJ),
];

const verifyRow = rows[2] as Row;
const issueRow = rows[0] as Row;
interface Target {
  target: string;
  value: number;
  met: boolean;
  /** For a ratio: the best ratio the raw ES256 limit allows, i.e. the ratio at 100% of the raw limit. */
  ceiling?: number;
}
const targets: Target[] = [
  {
    target: 'verify ≥ 5× sd-jwt-js',
    value: verifyRow.ratio,
    met: verifyRow.ratio >= 5,
    ceiling: rawVerify.opsPerSec / 2 / verifyJ.opsPerSec,
  },
  { target: 'verify ≥ 75% of raw limit', value: verifyRow.percentOfRawLimit ?? 0, met: (verifyRow.percentOfRawLimit ?? 0) >= 75 },
  {
    target: 'issue ≥ 5× sd-jwt-js',
    value: issueRow.ratio,
    met: issueRow.ratio >= 5,
    ceiling: rawSign.opsPerSec / issueJ.opsPerSec,
  },
  { target: 'status list decode+lookup (1M) < 30 ms', value: statusT.meanMs, met: statusT.meanMs < 30 },
];

const machine = {
  node: process.version,
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: availableParallelism(),
  platform: `${process.platform} ${process.arch}`,
};

if (asJson) {
  const report = {
    machine,
    settings: { ...options, sdJwtJs: '0.19.0' },
    raw: { signingInputBytes: signingInput.length, sign: rawSign, verify: rawVerify },
    rows,
    targets,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const header = ['case', 'Tessera ops/s', 'Tessera ms/op', 'sd-jwt-js ops/s', 'ratio', '% of raw limit'];
  const body = rows.map((r) => [
    r.case,
    formatOps(r.tessera.opsPerSec),
    formatMs(r.tessera.meanMs),
    formatOps(r.sdJwtJs.opsPerSec),
    `${r.ratio.toFixed(1)}×`,
    r.percentOfRawLimit === null ? '—' : `${r.percentOfRawLimit.toFixed(0)}%`,
  ]);
  const lines = [
    '',
    table([header, ...body]),
    '',
    `raw node:crypto ES256, ${signingInput.length}-byte signing input: sign ${formatOps(rawSign.opsPerSec)} ops/s, verify ${formatOps(rawVerify.opsPerSec)} ops/s`,
    '% of raw limit: issue and present ÷ raw sign (one signature each); verify ÷ (raw verify ÷ 2) (issuer JWT + KB-JWT)',
    '',
    ...targets.map(
      (t) =>
        `${t.met ? '✓' : '✗'} ${t.target}: ${t.value.toFixed(1)}` +
        (t.ceiling === undefined ? '' : ` (the raw ES256 limit allows at most ${t.ceiling.toFixed(1)}×)`),
    ),
    '',
    `Node ${machine.node} · ${machine.cpu} · ${machine.cores} cores · ${machine.platform}`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

function formatOps(opsPerSec: number): string {
  return opsPerSec >= 100 ? Math.round(opsPerSec).toLocaleString('en-US') : opsPerSec.toFixed(1);
}

function formatMs(ms: number): string {
  return ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
function table(cells: string[][]): string {
  const widths = (cells[0] as string[]).map((_, column) => Math.max(...cells.map((r) => (r[column] as string).length)));
  const render = (r: string[]): string =>
    r
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number)))
      .join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [render(cells[0] as string[]), rule, ...cells.slice(1).map(render)].join('\n');
}
