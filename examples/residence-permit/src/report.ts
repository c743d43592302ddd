import {
  type ClaimPath,
  DEFAULT_LIMITS,
  decodeDisclosure,
  decodeJws,
  type JsonValue,
  selectClaims,
  splitSdJwt,
} from '@tessera/shared';
import { AUTHORITY_NAME, DESK_NAME, DESK_REQUEST, type ExampleRun, PERMIT_DISCLOSABLE } from './residence-permit.ts';

/**
 * Turns one run of the example into the text it prints. Claim values appear only for what the
 * desk verified; for everything else the report names claims, never their values.
 */
export function formatReport(run: ExampleRun): string {
  const { verified, holderView } = run;
  const issued = inventory(run.credential);
  const presented = inventory(run.presentation);
  const disclosedKeys = new Set(verified.disclosed.map(pathKey));
  // In the order the issuer defined the claims, not the (sorted, hence random) digest order.
  const order = PERMIT_DISCLOSABLE.map(pathKey);
  const rank = (path: ClaimPath): number => {
    const index = order.indexOf(pathKey(path));
    return index === -1 ? order.length : index;
  };
  const hidden = holderView.disclosed.filter((path) => !disclosedKeys.has(pathKey(path))).sort((a, b) => rank(a) - rank(b));
  const leaves = verified.disclosed
    .filter((path) => !verified.disclosed.some((other) => isStrictPrefix(path, other)))
    .sort((a, b) => rank(a) - rank(b));
  const registered = Object.keys(verified.claims).filter((name) => !verified.disclosed.some((path) => path[0] === name));
  const iat = numberClaim(verified.claims.iat);
  const exp = numberClaim(verified.claims.exp);
  const kbIat = numberClaim(verified.keyBinding?.payload.iat);
  const kbAge = Math.max(0, Math.floor(run.verifiedAt / 1000) - kbIat);
  const width = Math.max(...leaves.map((path) => displayPath(path).length)) + 3;

  const lines = [
    'Tessera · residence-permit example',
    'An authority issues a residence permit, the holder shows a service desk only what it asks for,',
    'and the desk verifies it. All three roles run in this one process; every name and address is fictional.',
    '',
    `1. Issue · ${AUTHORITY_NAME}`,
    row('issuer (iss)', verified.issuer),
    row('type (vct)', verified.vct),
    row('claims', `${topLevelCount(holderView.disclosed)}, all selectively disclosable (address, age_equal_or_over recursively)`),
    row('disclosures', `${issued.disclosures}, plus ${issued.digests - issued.disclosures} decoy digests`),
    row('holder binding', `cnf.jwk: the holder's fresh ${verified.header.alg} public key`),
    row('valid', `${isoDate(iat)} to ${isoDate(exp)} (iat, exp)`),
    row('size', `${count(run.credential.length)} characters (issuer-signed JWT ${count(issued.jwtLength)})`),
    '',
    "2. Present · the holder's wallet",
    row('the desk asks', DESK_REQUEST.map(displayPath).join(', ')),
    row('shown', `${presented.disclosures} disclosures (a nested claim needs its parent's too) + a KB-JWT`),
    row('key binding', `KB-JWT for ${run.audience}, nonce ${run.nonce}`),
    row('kept back', formatHidden(hidden)),
    row(
      'size',
      `${count(run.presentation.length)} characters, ${Math.round((100 * run.presentation.length) / run.credential.length)}% of the credential`,
    ),
    '',
    `3. Verify · ${DESK_NAME}`,
    check('issuer signature', `${verified.header.alg}, the key of ${AUTHORITY_NAME}; typ ${String(verified.header.typ)}`),
    check('disclosures', `${presented.disclosures}, each matching exactly one digest in the signed payload`),
    check('validity', `issued ${isoDate(iat)}, not expired (exp ${isoDate(exp)})`),
    check('key binding', `signed by the cnf key; aud and nonce match; sd_hash matches; ${kbAge} s old`),
    '',
    '  The desk learned:',
    ...leaves.map((path) => `    ${displayPath(path).padEnd(width)}${JSON.stringify(valueAt(verified.claims, path))}`),
    `  Always in the clear (registered claims): ${registered.join(', ')}`,
    `  Not disclosed: ${presented.digests - presented.disclosures} digests the desk cannot open. Real claims and decoys`,
    '  look alike, so it cannot even tell how many claims were withheld.',
    '',
    `Verified: ${leaves.map(displayPath).join(' and ')}, and nothing else.`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Counts the disclosures and digests (`_sd` entries and array placeholders) a token carries. */
function inventory(token: string): { disclosures: number; digests: number; jwtLength: number } {
  const parts = splitSdJwt(token, DEFAULT_LIMITS);
  let digests = countDigests(decodeJws(parts.jwt).payload);
  for (const encoded of parts.disclosures) {
    digests += countDigests(decodeDisclosure(encoded, DEFAULT_LIMITS.maxDepth).value);
  }
  return { disclosures: parts.disclosures.length, digests, jwtLength: parts.jwt.length };
}

function countDigests(value: JsonValue): number {
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, element) => {
      const isPlaceholder = typeof element === 'object' && element !== null && !Array.isArray(element) && '...' in element;
      return sum + (isPlaceholder ? 1 : countDigests(element));
    }, 0);
  }
  if (typeof value !== 'object' || value === null) return 0;
  let sum = 0;
  for (const [key, member] of Object.entries(value)) {
    sum += key === '_sd' && Array.isArray(member) ? member.length : countDigests(member);
  }
  return sum;
}

/** Hidden claim names, nested ones in parentheses after their hidden parent. */
function formatHidden(hidden: readonly ClaimPath[]): string {
  const hiddenKeys = new Set(hidden.map(pathKey));
  const shown: string[] = [];
  for (const path of hidden) {
    const parentHidden = path.length > 1 && hiddenKeys.has(pathKey(path.slice(0, -1)));
    if (parentHidden) continue;
    const children = hidden.filter((other) => other.length === path.length + 1 && isStrictPrefix(path, other));
    const name = displayPath(path);
    shown.push(children.length === 0 ? name : `${name} (${children.map((child) => String(child.at(-1))).join(', ')})`);
  }
  return shown.join(', ');
}

function topLevelCount(paths: readonly ClaimPath[]): number {
  return paths.filter((path) => path.length === 1).length;
}

function isStrictPrefix(prefix: ClaimPath, path: ClaimPath): boolean {
  return prefix.length < path.length && prefix.every((step, i) => step === path[i]);
}

function valueAt(claims: JsonValue, path: ClaimPath): JsonValue | undefined {
  return selectClaims(claims, path)[0];
}

function pathKey(path: ClaimPath): string {
  return JSON.stringify(path);
}

function displayPath(path: ClaimPath): string {
  return path.map((step) => (step === null ? '*' : String(step))).join('.');
}

function numberClaim(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A labelled line, wrapped at word boundaries so long lists stay readable in a terminal. */
function row(label: string, text: string): string {
  const indent = ' '.repeat(19);
  const lines: string[] = [];
  let line = `  ${label.padEnd(16)} `;
  for (const word of text.split(' ')) {
    if (line.length + word.length > 100 && line.trim() !== label) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

function check(label: string, text: string): string {
  return `  ✔ ${label.padEnd(18)} ${text}`;
}
