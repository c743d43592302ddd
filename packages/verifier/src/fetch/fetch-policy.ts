import { fail } from '@tessera/shared';
import { DEFAULT_FETCH_MAX_BYTES, DEFAULT_FETCH_TIMEOUT_MS, type FetchPolicy, type SafeFetchRequest } from './safe-fetch.ts';

/**
 * The outbound URL policy shared by the browser and the Node `SafeFetch`: which URLs may be
 * fetched at all, and which IP addresses may be connected to. Pure: no network, no DNS. The URL is
 * parsed with the WHATWG URL parser, which the runtime's own fetch uses too, so the host checked
 * here is the host connected to: `https://2130706433/`, `https://0x7f.1/` and `https://0177.0.0.1/`
 * all come out as `127.0.0.1`, and `[::ffff:127.0.0.1]` as `[::ffff:7f00:1]`.
 */

/**
 * What an IP address is, for the outbound policy. `forbidden` is never connected to, whatever the
 * policy: unspecified, multicast, broadcast, reserved, documentation and benchmarking ranges, the
 * cloud metadata endpoints, and anything that does not parse as an address.
 */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'forbidden';

/**
 * Parses `url` and checks it against the outbound policy, before anything touches the network:
 * HTTPS only (plain `http:` only to `localhost`, `127.0.0.1` or `[::1]` with
 * `allowInsecureLocalhost`), no credentials in the URL, and no IP-literal host in a private,
 * loopback, link-local or otherwise special range unless the policy allows it. A host name is
 * not resolved here; the Node fetch checks what it resolves to.
 * @example checkUrl('https://169.254.169.254/latest/meta-data') // fails with fetch_blocked
 */
export function checkUrl(url: string, policy: FetchPolicy = {}): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    fail('fetch_blocked', 'The URL to fetch is not a valid absolute URL');
  }
  if (parsed.username !== '' || parsed.password !== '') fail('fetch_blocked', 'A URL with credentials is never fetched');
  const host = parsed.hostname;
  if (parsed.protocol === 'http:') {
    if (!policy.allowInsecureLocalhost) fail('fetch_blocked', 'Only https URLs are fetched');
    if (host !== 'localhost' && host !== '127.0.0.1' && host !== '[::1]') {
      fail('fetch_blocked', 'Plain http is allowed only to localhost, 127.0.0.1 and [::1]');
    }
  } else if (parsed.protocol !== 'https:') {
    fail('fetch_blocked', 'Only https URLs are fetched');
  }
  const ip = ipLiteral(parsed);
  if (ip !== undefined) {
    if (isBlockedAddress(ip, policy)) fail('fetch_blocked', blockedMessage(classifyAddress(ip)));
  } else if (isLoopbackName(host) && !policy.allowInsecureLocalhost && !policy.allowPrivateNetworks) {
    // RFC 6761 §6.3: `localhost` and `*.localhost` always mean the loopback interface.
    fail('fetch_blocked', blockedMessage('loopback'));
  }
  return parsed;
}

/**
 * True when the policy forbids connecting to `ip` (an IPv4 or IPv6 address in text form, as DNS
 * returns it). Without a policy every non-public address is blocked. Loopback needs
 * `allowInsecureLocalhost` or `allowPrivateNetworks`; private (RFC 1918, CGNAT, unique-local) and
 * link-local need `allowPrivateNetworks`; `forbidden` addresses are always blocked, and so is
 * anything that is not an address.
 */
export function isBlockedAddress(ip: string, policy: FetchPolicy = {}): boolean {
  switch (classifyAddress(ip)) {
    case 'public':
      return false;
    case 'loopback':
      return !policy.allowInsecureLocalhost && !policy.allowPrivateNetworks;
    case 'private':
    case 'link-local':
      return !policy.allowPrivateNetworks;
    default:
      return true;
  }
}

/**
 * Classifies an IP address in text form (dotted-quad IPv4, or IPv6 with an optional embedded IPv4
 * tail and zone). IPv4 addresses carried in IPv6 (IPv4-mapped `::ffff:0:0/96`, NAT64
 * `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address they carry.
 */
export function classifyAddress(ip: string): AddressKind {
  const v4 = parseIpv4(ip);
  if (v4 !== undefined) return classifyIpv4(v4);
  const v6 = parseIpv6(ip);
  return v6 === undefined ? 'forbidden' : classifyIpv6(v6);
}

/** The host of `url` when it is an IP literal (IPv6 without brackets), else `undefined`. */
export function ipLiteral(url: URL): string | undefined {
  const host = url.hostname;
  if (host.startsWith('[')) return host.slice(1, -1);
  return parseIpv4(host) === undefined ? undefined : host;
}

/** Size and time limits for one request: the request's own, else the policy's, else the defaults. */
export function fetchLimits(request: SafeFetchRequest, policy: FetchPolicy): { maxBytes: number; timeoutMs: number } {
  const maxBytes = request.maxBytes ?? policy.maxBytes ?? DEFAULT_FETCH_MAX_BYTES;
  const timeoutMs = request.timeoutMs ?? policy.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new TypeError('maxBytes must be a non-negative integer');
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('timeoutMs must be a positive number');
  return { maxBytes, timeoutMs };
}

/** Message for a refused address; names the kind of range, never the URL. */
export function blockedMessage(kind: AddressKind): string {
  switch (kind) {
    case 'loopback':
      return 'The target is a loopback address; allowed only with allowInsecureLocalhost or allowPrivateNetworks';
    case 'private':
    case 'link-local':
      return `The target is a ${kind} address; allowed only with allowPrivateNetworks`;
    default:
      return 'The target address is in a range that is never fetched';
  }
}

function isLoopbackName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name === 'localhost' || name.endsWith('.localhost');
}

/** Strict dotted quad (no leading zeros, which some parsers read as octal). */
function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

/** IPv6 text (RFC 4291 §2.2) to 16 bytes; a zone (`%eth0`) is ignored. */
function parseIpv6(text: string): number[] | undefined {
  const zone = text.indexOf('%');
  const address = zone === -1 ? text : text.slice(0, zone);
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        out.push(Number.parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return words.flatMap((word) => [word >> 8, word & 255]);
}

function inIpv4(bytes: number[], prefix: [number, number, number, number], bits: number): boolean {
  const value =
    (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0;
  const base = ((prefix[0] << 24) | (prefix[1] << 16) | (prefix[2] << 8) | prefix[3]) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

/** IANA IPv4 Special-Purpose Address Registry (RFC 6890), as far as outbound fetches are concerned. */
function classifyIpv4(bytes: number[]): AddressKind {
  // Cloud metadata endpoints (AWS, GCP, Azure, OpenStack) hand out credentials: never, even on an intranet.
  if (inIpv4(bytes, [169, 254, 169, 254], 32)) return 'forbidden';
  if (inIpv4(bytes, [127, 0, 0, 0], 8)) return 'loopback';
  if (
    inIpv4(bytes, [10, 0, 0, 0], 8) ||
    inIpv4(bytes, [172, 16, 0, 0], 12) ||
    inIpv4(bytes, [192, 168, 0, 0], 16) ||
    inIpv4(bytes, [100, 64, 0, 0], 10) // RFC 6598 carrier-grade NAT
  ) {
    return 'private';
  }
  if (inIpv4(bytes, [169, 254, 0, 0], 16)) return 'link-local';
  if (
    inIpv4(bytes, [0, 0, 0, 0], 8) || // "this network"; 0.0.0.0 reaches the local host on Linux
    inIpv4(bytes, [192, 0, 0, 0], 24) || // IETF protocol assignments
    inIpv4(bytes, [192, 0, 2, 0], 24) || // documentation (TEST-NET-1..3)
    inIpv4(bytes, [198, 51, 100, 0], 24) ||
    inIpv4(bytes, [203, 0, 113, 0], 24) ||
    inIpv4(bytes, [198, 18, 0, 0], 15) || // benchmarking
    inIpv4(bytes, [224, 0, 0, 0], 4) || // multicast
    inIpv4(bytes, [240, 0, 0, 0], 4) // reserved, and 255.255.255.255 broadcast
  ) {
    return 'forbidden';
  }
  return 'public';
}

/** IANA IPv6 Special-Purpose Address Registry (RFC 6890), as far as outbound fetches are concerned. */
function classifyIpv6(bytes: number[]): AddressKind {
  const word = (i: number): number => ((bytes[2 * i] as number) << 8) | (bytes[2 * i + 1] as number);
  const zeroUpTo = (n: number): boolean => bytes.slice(0, n).every((b) => b === 0);
  const v4At = (offset: number): number[] => bytes.slice(offset, offset + 4);
  if (zeroUpTo(10) && word(5) === 0xffff) return classifyIpv4(v4At(12)); // ::ffff:0:0/96 IPv4-mapped
  if (zeroUpTo(15) && bytes[15] === 1) return 'loopback'; // ::1
  if (zeroUpTo(12)) return 'forbidden'; // :: and the deprecated IPv4-compatible ::/96
  if (word(0) === 0x64 && word(1) === 0xff9b && word(2) === 0 && word(3) === 0 && word(4) === 0 && word(5) === 0) {
    return classifyIpv4(v4At(12)); // 64:ff9b::/96 NAT64 (RFC 6052)
  }
  if (word(0) === 0x2002) return classifyIpv4(v4At(2)); // 6to4 (RFC 3056)
  const first = word(0);
  if ((first & 0xfe00) === 0xfc00) {
    // fd00:ec2::254 is the AWS metadata endpoint over IPv6.
    const awsMetadata = first === 0xfd00 && word(1) === 0x0ec2 && bytes.slice(4, 14).every((b) => b === 0) && word(7) === 0x254;
    return awsMetadata ? 'forbidden' : 'private'; // fc00::/7 unique-local
  }
  if ((first & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((first & 0xffc0) === 0xfec0) return 'private'; // fec0::/10, deprecated site-local
  if (
    first < 0x2000 || // outside 2000::/3 nothing is global unicast: multicast ff00::/8, 100::/64 discard,
    first >= 0x4000 || // 64:ff9b:1::/48 local-use NAT64, unassigned space
    (first === 0x2001 && word(1) === 0x0db8) || // documentation
    (first === 0x2001 && word(1) < 0x0200) // 2001::/23 IETF protocol assignments, including Teredo
  ) {
    return 'forbidden';
  }
  return 'public';
}
