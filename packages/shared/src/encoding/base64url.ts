/**
 * base64url without padding (RFC 4648 §5), as JOSE and SD-JWT use it. Runtime-agnostic and strict:
 * padding, whitespace and characters outside the URL-safe alphabet are rejected, and so are
 * non-canonical trailing bits, so one byte string has exactly one encoding.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64Url(bytes: Uint8Array): string {
  let out = '';
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET.charAt(v >> 18) + ALPHABET.charAt((v >> 12) & 63) + ALPHABET.charAt((v >> 6) & 63) + ALPHABET.charAt(v & 63);
  }
  if (n - i === 1) {
    const v = (bytes[i] as number) << 16;
    out += ALPHABET.charAt(v >> 18) + ALPHABET.charAt((v >> 12) & 63);
  } else if (n - i === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET.charAt(v >> 18) + ALPHABET.charAt((v >> 12) & 63) + ALPHABET.charAt((v >> 6) & 63);
  }
  return out;
}

/** Decodes strict base64url; returns `undefined` for anything that is not canonical base64url. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n % 4 === 1) return undefined;
  const out = new Uint8Array((n * 3) >> 2);
  let o = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  const rest = n - i;
  if (rest === 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    if ((a | b) < 0 || (b & 15) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
  } else if (rest === 3) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    if ((a | b | c) < 0 || (c & 3) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
  }
  return out;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (DECODE[code] as number) : -1;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes UTF-8 strictly; returns `undefined` on invalid sequences. */
export function fromUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** base64url → UTF-8 text, or `undefined` when either layer is invalid. */
export function decodeBase64UrlText(text: string): string | undefined {
  const bytes = decodeBase64Url(text);
  return bytes === undefined ? undefined : fromUtf8(bytes);
}

export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(utf8(text));
}
