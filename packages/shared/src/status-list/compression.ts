import { fail, isTesseraError } from '../errors/tessera-error.ts';

/**
 * Decompresses a ZLIB stream (RFC 1950 framing around DEFLATE, RFC 1951) into at most `maxBytes`
 * bytes. Fails with `status_list_too_large` as soon as the output would exceed the limit and with
 * `status_list_malformed` for anything that is not a complete, valid ZLIB stream.
 */
export type Inflate = (compressed: Uint8Array, maxBytes: number) => Uint8Array | Promise<Uint8Array>;

/** Compresses bytes into a ZLIB stream (RFC 1950 with DEFLATE, RFC 1951). */
export type Deflate = (bytes: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/**
 * Input is fed to the decompressor in slices this small because a decompressor may emit all the
 * output of one input chunk at once, ignoring back-pressure. DEFLATE expands at most ~1032:1, so
 * the output can overshoot the limit by at most ~4 MiB before we notice and stop.
 */
const INPUT_SLICE = 4096;

/**
 * The runtime-agnostic inflate on `DecompressionStream('deflate')`, which is the ZLIB format in
 * browsers and Node ≥ 18. Streams, counts, and cancels once the limit is crossed.
 */
export const webInflate: Inflate = async (compressed, maxBytes) => {
  let offset = 0;
  const source = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= compressed.length) {
          controller.close();
          return;
        }
        controller.enqueue(compressed.subarray(offset, offset + INPUT_SLICE));
        offset += INPUT_SLICE;
      },
    },
    { highWaterMark: 0 },
  );
  // The casts only bridge the DOM typings, which declare the writable side as `BufferSource`.
  const reader = source
    .pipeThrough(new DecompressionStream('deflate') as ReadableWritablePair<Uint8Array, Uint8Array>)
    .getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch (cause) {
      fail('status_list_malformed', 'The status list is not a valid ZLIB stream', cause);
    }
    if (next.done) break;
    total += next.value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      fail('status_list_too_large', `The status list decompresses to more than ${maxBytes} bytes`);
    }
    chunks.push(next.value);
  }
  return concat(chunks, total);
};

/** The runtime-agnostic deflate on `CompressionStream('deflate')` (ZLIB format, default level). */
export const webDeflate: Deflate = async (bytes) => {
  const reader = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new CompressionStream('deflate') as ReadableWritablePair<Uint8Array, Uint8Array>)
    .getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    total += next.value.length;
  }
  return concat(chunks, total);
};

/**
 * Runs an inflate (built-in or injected) and holds it to the contract: foreign errors become
 * `status_list_malformed`, and an output above the limit is refused even if the inflate let it pass.
 */
export async function inflateWithin(inflate: Inflate, compressed: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await inflate(compressed, maxBytes);
  } catch (cause) {
    if (isTesseraError(cause)) throw cause;
    fail('status_list_malformed', 'The status list could not be decompressed', cause);
  }
  if (bytes.length > maxBytes) fail('status_list_too_large', `The status list decompresses to more than ${maxBytes} bytes`);
  return bytes;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
