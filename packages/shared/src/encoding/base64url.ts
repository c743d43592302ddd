/**
 * base64url without padding (RFC 4648 §5), as JOSE and SD-JWT use it. Runtime-agnostic and strict:
 * padding, whitespace and characters outside the URL-safe alphabet are rejected, and so are
 * non-canonical trailing bits, so one byte string has exactly one encoding.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The 64 characters of base64url in value order (RFC 4648 §5, Table 2). */
export const BASE64URL_ALPHABET: string = ALPHABET;
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

const ENCODE = new Uint8Array(64);
for (let i = 0; i < ALPHABET.length; i++) ENCODE[i] = ALPHABET.charCodeAt(i);
const asciiDecoder = new TextDecoder();

export function encodeBase64Url(bytes: Uint8Array): string {
  // Written into a byte buffer and decoded once: several times faster than string concatenation.
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil((n * 4) / 3));
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = ENCODE[v >> 18] as number;
    out[o++] = ENCODE[(v >> 12) & 63] as number;
    out[o++] = ENCODE[(v >> 6) & 63] as number;
    out[o++] = ENCODE[v & 63] as number;
  }
  if (n - i === 1) {
    const v = (bytes[i] as number) << 16;
    out[o++] = ENCODE[v >> 18] as number;
    out[o++] = ENCODE[(v >> 12) & 63] as number;
  } else if (n - i === 2) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out[o++] = ENCODE[v >> 18] as number;
    out[o++] = ENCODE[(v >> 12) & 63] as number;
    out[o++] = ENCODE[(v >> 6) & 63] as number;
  }
  return asciiDecoder.decode(out.subarray(0, o));
}

/** Decodes strict base64url; returns `undefined` for anything that is not canonical base64url. */
export function decodeBase64Url(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n % 4 === 1) return undefined;
  const out = new Uint8Array((n * 3) >> 2);
  const full = n - (n % 4);
  // Invalid characters map to -1; OR-ing all sextets lets one check at the end catch any of them.
  let invalid = 0;
  let o = 0;
  for (let i = 0; i < full; i += 4) {
    const a = sextet(text.charCodeAt(i));
    const b = sextet(text.charCodeAt(i + 1));
    const c = sextet(text.charCodeAt(i + 2));
    const d = sextet(text.charCodeAt(i + 3));
    invalid |= a | b | c | d;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    out[o++] = (v >> 8) & 255;
    out[o++] = v & 255;
  }
  const rest = n - full;
  if (rest === 2) {
    const a = sextet(text.charCodeAt(full));
    const b = sextet(text.charCodeAt(full + 1));
    // Non-canonical: the unused low bits of the last character must be zero.
    if ((a | b) < 0 || (b & 15) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
  } else if (rest === 3) {
    const a = sextet(text.charCodeAt(full));
    const b = sextet(text.charCodeAt(full + 1));
    const c = sextet(text.charCodeAt(full + 2));
    if ((a | b | c) < 0 || (c & 3) !== 0) return undefined;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
  }
  return invalid < 0 ? undefined : out;
}

function sextet(code: number): number {
  return code < 128 ? (DECODE[code] as number) : -1;
}

const encoder = new TextEncoder();
// fatal: invalid UTF-8 is an error, not U+FFFD. ignoreBOM: a byte-order mark stays in the text
// (and then fails JSON parsing) instead of being silently dropped.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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

export function encodeBase64UrlText(text: string): string {
  return encodeBase64Url(utf8(text));
}

/**
 * A base64url implementation. The portable one below is plain JavaScript; a runtime with a native
 * codec (Node's Buffer, see `@tessera/shared/node`) can supply a faster one through
 * `CryptoProvider.base64url`, held to the same strictness.
 */
export interface Base64UrlCodec {
  encode(bytes: Uint8Array): string;
  /** base64url of the UTF-8 bytes of `text`. */
  encodeText(text: string): string;
  /** Strict decode: `undefined` for anything that is not canonical, unpadded base64url. */
  decode(text: string): Uint8Array | undefined;
  /** Strict decode to text: `undefined` unless the bytes are also well-formed UTF-8. */
  decodeText(text: string): string | undefined;
}

export const portableBase64Url: Base64UrlCodec = Object.freeze({
  encode: encodeBase64Url,
  encodeText: encodeBase64UrlText,
  decode: decodeBase64Url,
  decodeText: (text: string) => {
    const bytes = decodeBase64Url(text);
    return bytes === undefined ? undefined : fromUtf8(bytes);
  },
});

/** The codec a provider offers, or the portable one. */
export function codecOf(provider: { base64url?: Base64UrlCodec } | undefined): Base64UrlCodec {
  return provider?.base64url ?? portableBase64Url;
}

/** base64url → UTF-8 text, or `undefined` when either layer is invalid. */
export function decodeBase64UrlText(text: string): string | undefined {
  return portableBase64Url.decodeText(text);
}

/**
 * True when the last character of unpadded base64url text leaves zero in the bits that overhang
 * the data (RFC 4648 §3.5), so the text is the one canonical encoding of its bytes. Lets a lenient
 * native decoder be used strictly.
 */
export function hasCanonicalTail(text: string): boolean {
  const rest = text.length % 4;
  if (rest === 0) return true;
  if (rest === 1) return false;
  const last = sextet(text.charCodeAt(text.length - 1));
  return last >= 0 && (last & (rest === 2 ? 15 : 3)) === 0;
}
