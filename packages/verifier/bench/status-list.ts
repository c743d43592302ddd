/**
 * The status-list case: a 1,000,000-entry 1-bit list with 1% of entries revoked at scattered
 * positions, compressed once by Tessera; both libraries decode the same `lst`.
 */
import { createStatusList, decodeStatusList, type EncodedStatusList, encodeStatusList, type StatusList } from '@tessera/shared';
import { nodeDeflate, nodeInflate } from '@tessera/shared/node';

export const STATUS_LIST_SIZE = 1_000_000;
const REVOKED_SHARE = 0.01;

export interface PreparedStatusList {
  encoded: EncodedStatusList;
  /** The index every timed call looks up; it is revoked (1). */
  index: number;
  /** Indices whose status both libraries must read alike before timing. */
  sample: number[];
  expected(index: number): number;
  /** Tessera decode on node:zlib, as a Node verifier would run it. */
  decode(encoded: EncodedStatusList): Promise<StatusList>;
  /** Tessera decode with the runtime-agnostic default inflate (DecompressionStream). */
  decodeWeb(encoded: EncodedStatusList): Promise<StatusList>;
}

/** 1% of the indices below `size`, scattered by a fixed linear congruential sequence: the same on every run. */
export function revokedIndices(size: number): Set<number> {
  const revoked = new Set<number>();
  let seed = 12345;
  while (revoked.size < size * REVOKED_SHARE) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    revoked.add(seed % size);
  }
  return revoked;
}

/** Builds, encodes and re-reads the list once, so the timed loops measure working code. */
export async function prepareStatusList(): Promise<PreparedStatusList> {
  const list = createStatusList(STATUS_LIST_SIZE, 1);
  const revoked = revokedIndices(STATUS_LIST_SIZE);
  const index = 765_432;
  revoked.add(index);
  for (const i of revoked) list.set(i, 1);
  const encoded = await encodeStatusList(list, { deflate: nodeDeflate });
  const expected = (i: number): number => (revoked.has(i) ? 1 : 0);
  const sample = [...[...revoked].slice(0, 500), ...Array.from({ length: 500 }, (_, k) => k * 1999)];

  const decode = (e: EncodedStatusList): Promise<StatusList> => decodeStatusList(e, { inflate: nodeInflate });
  const decodeWeb = (e: EncodedStatusList): Promise<StatusList> => decodeStatusList(e);
  for (const decoded of [await decode(encoded), await decodeWeb(encoded)]) {
    for (const i of sample) {
      if (decoded.get(i) !== expected(i)) throw new Error(`Tessera reads status ${i} wrongly`);
    }
  }
  return { encoded, index, sample, expected, decode, decodeWeb };
}
