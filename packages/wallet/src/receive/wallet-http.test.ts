import { describe, expect, it } from 'vitest';
import { readBodyWithin } from './wallet-http.ts';

/** A body that arrives in `chunks` pieces of `size` bytes, with no Content-Length; records a cancel. */
function streamed(chunks: number, size: number): { response: Response; cancelled: () => boolean; sent: () => number } {
  let cancelled = false;
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close();
      sent++;
      controller.enqueue(new Uint8Array(size).fill(97));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { response: new Response(body), cancelled: () => cancelled, sent: () => sent };
}

describe('readBodyWithin', () => {
  it('returns the whole body when it fits, and an empty one for no body', async () => {
    expect(new TextDecoder().decode(await readBodyWithin(new Response('hello'), 5))).toBe('hello');
    expect(await readBodyWithin(new Response(null, { status: 204 }), 5)).toEqual(new Uint8Array(0));
    const { response } = streamed(3, 4);
    expect((await readBodyWithin(response, 12))?.byteLength).toBe(12);
  });

  it('refuses a body whose declared length is over the limit without reading it', async () => {
    const response = new Response('x'.repeat(10), { headers: { 'content-length': '10' } });
    expect(await readBodyWithin(response, 9)).toBeUndefined();
  });

  it('stops reading a body without a declared length once it passes the limit, and cancels the rest', async () => {
    const body = streamed(1000, 1024);
    expect(await readBodyWithin(body.response, 4096)).toBeUndefined();
    expect(body.cancelled()).toBe(true);
    expect(body.sent()).toBeLessThan(10);
  });
});
