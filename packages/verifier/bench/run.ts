/**
 * The verifier suites of `pnpm bench [--json] [--budget-ms=1500] [--only <row prefix>]` (run by
 * scripts/bench/run.ts in a process of their own; `tsx packages/verifier/bench/run.ts` runs them
 * alone): Tessera side by side with its peers in one process, against the raw node:crypto ES256
 * limit where signatures dominate. Progress goes to stderr; the tables (or, with `--json`, one JSON
 * document and nothing else) go to stdout.
 *
 * Rows, against sd-jwt-js (`@sd-jwt/sd-jwt-vc` 0.19): issue (SD-JWT VC, 10 disclosable claims, one
 * of them a nested object with 3 disclosable members, cnf holder key, typ dc+sd-jwt), present (3
 * claims + KB-JWT), verify (presentation with KB-JWT; keys imported once and cached), verify with
 * a new holder key each time (a key import per presentation for both libraries), verify with a
 * warm status cache (`createPresentationVerifier` from @tessera/verifier on a presentation whose
 * credential points into a Token Status List it has already fetched; see warm-status.ts),
 * status-list (decode + one lookup in a 1,000,000-entry 1-bit list). Against `dcql` 3.0: DCQL
 * parse, match (wallet) and check (verifier) for 1, 10, 100 and 1,000 claims (see dcql.ts).
 *
 * Issuer under load (see issuer-load.ts): credentials issued per second through the whole
 * OpenID4VCI token + nonce + credential flow by 8 concurrent clients over loopback against
 * `createIssuerApp`, on PGlite and, when TESSERA_BENCH_POSTGRES_URL or TESSERA_TEST_POSTGRES_URL
 * is set, on PostgreSQL; p50/p99 latency per request type.
 *
 * `--only verify` runs the groups with a row whose name starts with "verify" (case-insensitive);
 * `--only dcql match` only DCQL matching; `--only issuer` the issuer load.
 */
import { StatusList as SdJwtJsStatusList } from '@sd-jwt/jwt-status-list';
import { machine as machineInfo, machineLine, parseBenchArgs } from '../../../scripts/bench/cli.ts';
import { type Case, type Measurement, type MeasureOptions, measureInterleaved } from '../../../scripts/bench/harness.ts';
import { formatMicros, formatMs, formatOps, formatRatio, table } from '../../../scripts/bench/report.ts';
import { DCQL_OPERATIONS, DCQL_SIZES, type DcqlOperation, prepareDcql } from './dcql.ts';
import { BENCH_POSTGRES_URL, type IssuerBackend, type IssuerLoadResult, measureIssuerLoad } from './issuer-load.ts';
import { VERIFIER_BENCH_ROWS } from './rows.ts';
import { prepareFreshPresentations, prepareSdJwt, type SdJwtCases } from './sd-jwt.ts';
import { prepareStatusList } from './status-list.ts';
import { prepareWarmStatus } from './warm-status.ts';

const SD_JWT_JS_VERSION = '0.19.0';
const DCQL_VERSION = '3.0.0';

const { asJson, budgetMs, only, wanted } = parseBenchArgs(process.argv.slice(2));
const options: MeasureOptions = { budgetMs, warmupMs: 300 };
// The DCQL cases are synchronous, pure computation with little spread, and there are 24 of them:
// two thirds of the budget each keeps a full run under two minutes.
const dcqlOptions: MeasureOptions = { ...options, budgetMs: Math.round((options.budgetMs * 2) / 3) };
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Measures one group of cases that are compared with each other, in alternating slices. */
async function timedGroup<const T extends readonly Case[]>(
  title: string,
  cases: T,
  groupOptions: MeasureOptions = options,
): Promise<{ [K in keyof T]: Measurement }> {
  progress(title);
  const results = await measureInterleaved(cases, groupOptions);
  for (const result of results) {
    progress(
      `  ${result.label.padEnd(46)} ${formatOps(result.opsPerSec).padStart(10)} ops/s  ${formatMs(result.meanMs).padStart(8)} ms/op` +
        `  (cpu ${formatMs(result.cpuMsPerOp)} ms/op)  ±${result.spreadPercent.toFixed(1)}%`,
    );
  }
  return results as { [K in keyof T]: Measurement };
}

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

/** What the status check adds to Tessera's verification, all measured in one group of Tessera cases. */
interface StatusCost {
  /** `verifySdJwtVc` alone: the work of the 'verify' row. */
  verify: Measurement;
  /** `createPresentationVerifier(…).verify` without a status reference: DID resolution and trust list on top. */
  verifierWithoutStatus: Measurement;
  lists: {
    entries: number;
    verifierWithStatus: Measurement;
    /** Milliseconds per presentation over `verify`, and the same in percent. */
    addedMsOverVerify: number;
    percentOverVerify: number;
    /** Milliseconds per presentation over `verifierWithoutStatus`: the cached status lookup itself. */
    addedMsOverNoStatus: number;
  }[];
}

interface DcqlRow {
  claims: number;
  operation: DcqlOperation;
  tessera: Measurement;
  dcql: Measurement;
  /** Tessera ops/s ÷ dcql ops/s. */
  ratio: number;
}

/** log(cost ratio) ÷ log(size ratio) between two sizes: about 1 when linear, 2 when quadratic. */
interface DcqlScaling {
  library: 'Tessera' | 'dcql';
  operation: DcqlOperation;
  fromClaims: number;
  toClaims: number;
  exponent: number;
}

const rows: Row[] = [];
const raw: { signingInputBytes?: number; sign?: Measurement; verify?: Measurement } = {};
let statusCost: StatusCost | undefined;
const dcqlRows: DcqlRow[] = [];

let sdJwtCases: SdJwtCases | undefined;
const sdJwt = async (): Promise<SdJwtCases> => {
  if (sdJwtCases === undefined) {
    progress('Preparing keys, credentials and presentations…');
    sdJwtCases = await prepareSdJwt();
    raw.signingInputBytes = sdJwtCases.raw.signingInputBytes;
  }
  return sdJwtCases;
};
const rawCases = (cases: SdJwtCases) => ({
  sign: { label: 'raw node:crypto ES256 sign', fn: cases.raw.sign },
  verify: { label: 'raw node:crypto ES256 verify', fn: cases.raw.verify },
});

// Each library is timed in alternating slices with its peer and with the raw limit it is
// compared to, so the ratios are not skewed by the machine changing speed between cases. Every
// group prepares and checks its inputs before its own timing starts.
progress(
  `Measuring (${options.warmupMs} ms warm-up, ${options.budgetMs} ms per case, ${dcqlOptions.budgetMs} ms per DCQL case)…`,
);

if (wanted('issue')) {
  const cases = await sdJwt();
  const [rawSign, tessera, sdJwtJs] = await timedGroup('issue', [
    rawCases(cases).sign,
    { label: 'Tessera issueSdJwtVc', fn: cases.tessera.issue },
    { label: 'sd-jwt-js issue', fn: cases.sdJwtJs.issue },
  ]);
  raw.sign = rawSign;
  // One ES256 signature per issued credential.
  rows.push(row('issue', tessera, sdJwtJs, rawSign.opsPerSec));
}

if (wanted('present')) {
  const cases = await sdJwt();
  const [rawSign, tessera, sdJwtJs] = await timedGroup('present', [
    rawCases(cases).sign,
    { label: 'Tessera presentSdJwt', fn: cases.tessera.present },
    { label: 'sd-jwt-js present', fn: cases.sdJwtJs.present },
  ]);
  raw.sign ??= rawSign;
  // One ES256 signature (the KB-JWT) per presentation.
  rows.push(row('present', tessera, sdJwtJs, rawSign.opsPerSec));
}

if (wanted('verify', 'verify, new holder')) {
  const cases = await sdJwt();
  const nextFresh = await prepareFreshPresentations(cases);
  const { presentation, tessera, sdJwtJs } = cases;
  const [rawVerify, verifyT, verifyJ, freshT, freshJ] = await timedGroup('verify', [
    rawCases(cases).verify,
    { label: 'Tessera verifySdJwtVc', fn: () => tessera.verify(presentation) },
    { label: 'sd-jwt-js verify (KB on)', fn: () => sdJwtJs.verify(presentation) },
    { label: 'Tessera verifySdJwtVc, new holder each time', fn: () => tessera.verify(nextFresh()) },
    { label: 'sd-jwt-js verify, new holder each time', fn: () => sdJwtJs.verify(nextFresh()) },
  ]);
  raw.verify = rawVerify;
  // Two ES256 verifications per presentation: the issuer JWT and the KB-JWT.
  rows.push(row('verify', verifyT, verifyJ, rawVerify.opsPerSec / 2));
  // The same, with a holder key never seen before: one key import more per presentation.
  rows.push(row('verify, new holder', freshT, freshJ, rawVerify.opsPerSec / 2));
}

const warmRowName = (entries: number): string => `verify, warm status (${entries.toLocaleString('en-US')}-entry list)`;
if (wanted('verify, warm status')) {
  const cases = await sdJwt();
  progress('Serving status lists on 127.0.0.1…');
  const warm = await prepareWarmStatus(cases.fx);
  const { presentation, tessera } = cases;
  // Against sd-jwt-js one list at a time: its decode of a large list on every presentation leaves
  // garbage that the collector clears while the other cases of the group run.
  for (const list of warm.lists) {
    const entries = list.entries.toLocaleString('en-US');
    const [rawVerify, tesseraWarm, sdJwtJsWarm] = await timedGroup(`verify, warm status, ${entries}-entry list`, [
      rawCases(cases).verify,
      { label: `Tessera verifier, ${entries}-entry list`, fn: list.tessera },
      { label: `sd-jwt-js verify, ${entries}-entry list`, fn: list.sdJwtJs },
    ]);
    raw.verify ??= rawVerify;
    // Steady state: two ES256 verifications per presentation, as in 'verify'; the status list
    // token's own signature was checked once, when the list was fetched.
    rows.push(row(warmRowName(list.entries), tesseraWarm, sdJwtJsWarm, rawVerify.opsPerSec / 2));
  }
  // What the status check costs Tessera, in a group of Tessera cases only.
  const [verify, withoutStatus, ...withStatus] = await timedGroup('verify, warm status: Tessera alone', [
    { label: 'Tessera verifySdJwtVc (the verify row)', fn: () => tessera.verify(presentation) },
    { label: 'Tessera verifier, no status reference', fn: warm.tesseraWithoutStatus },
    ...warm.lists.map((list) => ({
      label: `Tessera verifier, ${list.entries.toLocaleString('en-US')}-entry list`,
      fn: list.tessera,
    })),
  ]);
  await warm.close();
  statusCost = {
    verify,
    verifierWithoutStatus: withoutStatus,
    lists: warm.lists.map(({ entries }, position) => {
      const verifierWithStatus = withStatus[position] as Measurement;
      return {
        entries,
        verifierWithStatus,
        addedMsOverVerify: verifierWithStatus.meanMs - verify.meanMs,
        percentOverVerify: (verifierWithStatus.meanMs / verify.meanMs - 1) * 100,
        addedMsOverNoStatus: verifierWithStatus.meanMs - withoutStatus.meanMs,
      };
    }),
  };
}

if (wanted('status-list', 'status-list (web inflate)')) {
  progress('Preparing the 1,000,000-entry status list…');
  const { encoded, index, sample, expected, decode, decodeWeb } = await prepareStatusList();
  const decoded = SdJwtJsStatusList.decompressStatusList(encoded.lst, 1);
  for (const i of sample) {
    if (decoded.getStatus(i) !== expected(i)) throw new Error(`sd-jwt-js reads status ${i} differently`);
  }
  const [statusT, statusWebT, statusJ] = await timedGroup('status-list (1,000,000 entries, 1 bit, same lst for both)', [
    { label: 'Tessera decode+get (node:zlib)', fn: async () => (await decode(encoded)).get(index) },
    { label: 'Tessera decode+get (DecompressionStream)', fn: async () => (await decodeWeb(encoded)).get(index) },
    {
      label: 'sd-jwt-js decompress+getStatus',
      fn: () => SdJwtJsStatusList.decompressStatusList(encoded.lst, 1).getStatus(index),
    },
  ]);
  rows.push(row('status-list', statusT, statusJ));
  // The same decode with the browser-compatible default inflate, for reference.
  rows.push(row('status-list (web inflate)', statusWebT, statusJ));
}

const dcqlOperations = DCQL_OPERATIONS.filter((operation) => wanted(`dcql ${operation}`));
if (dcqlOperations.length > 0) {
  progress('Preparing DCQL queries and credentials…');
  for (const size of prepareDcql()) {
    const claims = `${size.claims.toLocaleString('en-US')} claim${size.claims === 1 ? '' : 's'}`;
    const measured = await timedGroup(
      `dcql, ${claims}`,
      dcqlOperations.flatMap((operation) => [
        { label: `Tessera ${operation}`, fn: size.tessera[operation] },
        { label: `dcql ${operation}`, fn: size.dcql[operation] },
      ]),
      dcqlOptions,
    );
    for (const [position, operation] of dcqlOperations.entries()) {
      const tessera = measured[2 * position] as Measurement;
      const dcql = measured[2 * position + 1] as Measurement;
      dcqlRows.push({ claims: size.claims, operation, tessera, dcql, ratio: tessera.opsPerSec / dcql.opsPerSec });
    }
  }
}

const issuerLoad: IssuerLoadResult[] = [];
const issuerBackends: IssuerBackend[] = BENCH_POSTGRES_URL === undefined ? ['PGlite'] : ['PGlite', 'PostgreSQL'];
const issuerRowName = (backend: IssuerBackend): string => `issuer http (${backend})`;
if (wanted(...(['PGlite', 'PostgreSQL'] as const).map(issuerRowName))) {
  for (const backend of issuerBackends) {
    if (!wanted(issuerRowName(backend))) continue;
    progress(`${issuerRowName(backend)}: offers, then 8 clients for 5 s after a 1 s warm-up…`);
    const result = await measureIssuerLoad({
      backend,
      ...(backend === 'PostgreSQL' ? { postgresUrl: BENCH_POSTGRES_URL as string } : {}),
      clients: 8,
      durationMs: 5000,
      warmupMs: 1000,
    });
    if (result.errors > 0) throw new Error(`${issuerRowName(backend)}: ${result.errors} requests failed`);
    progress(`  ${result.flowsPerSec.toFixed(1)} credentials/s, flow p50 ${formatMs(result.latency.flow.p50Ms)} ms`);
    issuerLoad.push(result);
  }
  if (BENCH_POSTGRES_URL === undefined)
    progress('  (PostgreSQL skipped: set TESSERA_BENCH_POSTGRES_URL or TESSERA_TEST_POSTGRES_URL)');
}

if (rows.length === 0 && dcqlRows.length === 0 && issuerLoad.length === 0) {
  throw new TypeError(`--only ${only} matches no row; rows: ${VERIFIER_BENCH_ROWS.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// Report.
const dcqlScaling: DcqlScaling[] = [];
for (const operation of dcqlOperations) {
  const byClaims = dcqlRows.filter((r) => r.operation === operation);
  for (let i = 1; i < byClaims.length; i++) {
    const from = byClaims[i - 1] as DcqlRow;
    const to = byClaims[i] as DcqlRow;
    for (const library of ['Tessera', 'dcql'] as const) {
      const cost = (r: DcqlRow): number => (library === 'Tessera' ? r.tessera : r.dcql).meanMs;
      dcqlScaling.push({
        library,
        operation,
        fromClaims: from.claims,
        toClaims: to.claims,
        exponent: Math.log(cost(to) / cost(from)) / Math.log(to.claims / from.claims),
      });
    }
  }
}
/** The size steps the exponent table shows (10→100, 100→1,000): from 1 claim the fixed cost hides any growth. */
const scalingSteps = DCQL_SIZES.slice(1, -1)
  .map((from, i) => [from, DCQL_SIZES[i + 2] as number] as const)
  .filter(([from]) => dcqlScaling.some((step) => step.fromClaims === from));
/** From 100 to 1,000 claims the fixed cost no longer hides the growth; 1.5 is halfway to quadratic. */
const superLinear = dcqlScaling.filter((s) => s.fromClaims >= 100 && s.exponent >= 1.5);

interface Target {
  target: string;
  value: number;
  met: boolean;
  /** For a ratio: the best ratio the raw ES256 limit allows, i.e. the ratio at 100% of the raw limit. */
  ceiling?: number;
}
const targets: Target[] = [];
const findRow = (name: string): Row | undefined => rows.find((r) => r.case === name);
const verifyRow = findRow('verify');
if (verifyRow !== undefined && raw.verify !== undefined) {
  targets.push(
    {
      target: 'verify ≥ 5× sd-jwt-js',
      value: verifyRow.ratio,
      met: verifyRow.ratio >= 5,
      ceiling: raw.verify.opsPerSec / 2 / verifyRow.sdJwtJs.opsPerSec,
    },
    {
      target: 'verify ≥ 75% of raw limit',
      value: verifyRow.percentOfRawLimit ?? 0,
      met: (verifyRow.percentOfRawLimit ?? 0) >= 75,
    },
  );
}
const issueRow = findRow('issue');
if (issueRow !== undefined && raw.sign !== undefined) {
  targets.push({
    target: 'issue ≥ 5× sd-jwt-js',
    value: issueRow.ratio,
    met: issueRow.ratio >= 5,
    ceiling: raw.sign.opsPerSec / issueRow.sdJwtJs.opsPerSec,
  });
}
const statusRow = findRow('status-list');
if (statusRow !== undefined) {
  const { meanMs } = statusRow.tessera;
  targets.push({ target: 'status list decode+lookup (1M) < 30 ms', value: meanMs, met: meanMs < 30 });
}

const machine = machineInfo();

if (asJson) {
  const report = {
    machine,
    settings: {
      ...options,
      dcqlBudgetMs: dcqlOptions.budgetMs,
      only: only ?? null,
      sdJwtJs: SD_JWT_JS_VERSION,
      dcql: DCQL_VERSION,
    },
    raw,
    rows,
    statusCost: statusCost ?? null,
    dcql: dcqlRows.length === 0 ? null : { rows: dcqlRows, scaling: dcqlScaling },
    issuerLoad: issuerLoad.length === 0 ? null : issuerLoad,
    targets,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const lines: string[] = [''];
  if (rows.length > 0) {
    const header = ['case', 'Tessera ops/s', 'Tessera ms/op', 'sd-jwt-js ops/s', 'ratio', '% of raw limit'];
    const body = rows.map((r) => [
      r.case,
      formatOps(r.tessera.opsPerSec),
      formatMs(r.tessera.meanMs),
      formatOps(r.sdJwtJs.opsPerSec),
      formatRatio(r.ratio),
      r.percentOfRawLimit === null ? '—' : `${r.percentOfRawLimit.toFixed(0)}%`,
    ]);
    lines.push(table([header, ...body]), '');
  }
  if (raw.sign !== undefined || raw.verify !== undefined) {
    lines.push(
      `raw node:crypto ES256, ${raw.signingInputBytes}-byte signing input:` +
        [
          raw.sign === undefined ? '' : ` sign ${formatOps(raw.sign.opsPerSec)} ops/s`,
          raw.verify === undefined ? '' : ` verify ${formatOps(raw.verify.opsPerSec)} ops/s`,
        ]
          .filter((part) => part !== '')
          .join(','),
      '% of raw limit: issue and present ÷ raw sign (one signature each); verify rows ÷ (raw verify ÷ 2) (issuer JWT + KB-JWT)',
      '',
    );
  }
  if (statusCost !== undefined) {
    const { verify, verifierWithoutStatus, lists } = statusCost;
    const overVerify = (m: Measurement): string => {
      const added = m.meanMs - verify.meanMs;
      return `${added >= 0 ? '+' : ''}${formatMs(added)} ms (${added >= 0 ? '+' : ''}${((m.meanMs / verify.meanMs - 1) * 100).toFixed(0)}%)`;
    };
    lines.push(
      'Warm status: createPresentationVerifier({ trust, fetchPolicy: { allowInsecureLocalhost: true }, crypto: nodeCrypto }), issuer',
      'did:jwk, Status List Tokens (1 bit, 1% revoked, ttl 3600 s) over HTTP on 127.0.0.1, each fetched once per library (checked).',
      'sd-jwt-js: statusListFetcher with an in-memory Map cache; it re-verifies and re-decodes the cached token on every presentation.',
      "What the status check adds to Tessera's verify, measured in a group of Tessera cases only:",
      table([
        ['Tessera', 'ops/s', 'ms/op', 'over verifySdJwtVc'],
        ['verifySdJwtVc (the verify row)', formatOps(verify.opsPerSec), formatMs(verify.meanMs), '—'],
        [
          'verifier, no status reference',
          formatOps(verifierWithoutStatus.opsPerSec),
          formatMs(verifierWithoutStatus.meanMs),
          overVerify(verifierWithoutStatus),
        ],
        ...lists.map((list) => [
          `verifier, warm status, ${list.entries.toLocaleString('en-US')} entries`,
          formatOps(list.verifierWithStatus.opsPerSec),
          formatMs(list.verifierWithStatus.meanMs),
          overVerify(list.verifierWithStatus),
        ]),
      ]),
      '',
    );
  }
  if (dcqlRows.length > 0) {
    lines.push(
      `DCQL: one dc+sd-jwt credential query for n claims, one held credential with those n claims; peer dcql ${DCQL_VERSION}.`,
      table([
        ['claims', 'operation', 'Tessera ops/s', 'Tessera µs/op', 'µs/claim', 'dcql ops/s', 'dcql µs/op', 'µs/claim', 'ratio'],
        ...dcqlRows.map((r) => [
          r.claims.toLocaleString('en-US'),
          r.operation,
          formatOps(r.tessera.opsPerSec),
          formatMicros(r.tessera.meanMs * 1000),
          formatMicros((r.tessera.meanMs * 1000) / r.claims),
          formatOps(r.dcql.opsPerSec),
          formatMicros(r.dcql.meanMs * 1000),
          formatMicros((r.dcql.meanMs * 1000) / r.claims),
          formatRatio(r.ratio),
        ]),
      ]),
      '',
      'Growth exponent, log(cost ratio) ÷ log(claims ratio): 1 when the cost is linear in the claims, 2 when quadratic.',
      table([
        [
          'operation',
          ...scalingSteps.flatMap(([from, to]) =>
            ['Tessera', 'dcql'].map((library) => `${library} ${from.toLocaleString('en-US')}→${to.toLocaleString('en-US')}`),
          ),
        ],
        ...dcqlOperations.map((operation) => [
          operation,
          ...scalingSteps.flatMap(([from]) =>
            (['Tessera', 'dcql'] as const).map((library) => {
              const step = dcqlScaling.find((x) => x.library === library && x.operation === operation && x.fromClaims === from);
              return step === undefined ? '—' : step.exponent.toFixed(2);
            }),
          ),
        ]),
      ]),
      superLinear.length === 0
        ? 'No operation grows faster than linearly from 100 to 1,000 claims.'
        : `Faster than linear from 100 to 1,000 claims: ${superLinear.map((s) => `${s.library} ${s.operation}`).join(', ')}.`,
      'parse: parseDcqlQuery / dcql DcqlQuery.parse + validate; match (wallet): matchDcqlQuery / DcqlQuery.query;',
      'check (verifier): checkDcqlResponse / DcqlPresentationResult.fromDcqlPresentation. parseDcqlQuery refuses more than',
      '100 claims per credential query by default (DEFAULT_DCQL_LIMITS.maxClaimsPerQuery); the 1,000-claim rows raise that limit.',
      '',
    );
  }
  if (issuerLoad.length > 0) {
    const latency = (l: { p50Ms: number; p99Ms: number }) => `${formatMs(l.p50Ms)} / ${formatMs(l.p99Ms)}`;
    lines.push(
      'Issuer under HTTP load: token + nonce + credential (one dc+sd-jwt, one ES256 proof) per flow, 8 concurrent clients',
      'over loopback, clients and issuer in this one process; latency in ms as p50 / p99.',
      table([
        ['database', 'credentials/s', 'flows', 'token', 'nonce', 'credential', 'whole flow'],
        ...issuerLoad.map((r) => [
          r.backend,
          formatOps(r.flowsPerSec),
          String(r.flows),
          latency(r.latency.token),
          latency(r.latency.nonce),
          latency(r.latency.credential),
          latency(r.latency.flow),
        ]),
      ]),
      '',
    );
  }
  for (const t of targets) {
    lines.push(
      `${t.met ? '✓' : '✗'} ${t.target}: ${t.value.toFixed(1)}` +
        (t.ceiling === undefined ? '' : ` (the raw ES256 limit allows at most ${t.ceiling.toFixed(1)}×)`),
    );
  }
  if (targets.length > 0) lines.push('');
  lines.push(machineLine(machine), '');
  process.stdout.write(lines.join('\n'));
}
