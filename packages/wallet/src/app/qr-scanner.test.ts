import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeQrImage, MAX_QR_TEXT, type RgbaImage } from './qr-scanner.ts';

/**
 * A QR code drawn as a camera frame would hold it: `text` encoded by the `qrcode` package, each
 * module `scale` pixels, a quiet zone of four modules, dark on light (or inverted).
 */
function qrImage(
  text: string,
  { scale = 4, inverted = false, offset = 0, level = 'M' as QRCode.QRCodeErrorCorrectionLevel } = {},
): RgbaImage {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: level });
  const size = (modules.size + 8) * scale + offset;
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const column = Math.floor((x - offset) / scale) - 4;
      const row = Math.floor((y - offset) / scale) - 4;
      const inside = column >= 0 && row >= 0 && column < modules.size && row < modules.size;
      const dark = inside && modules.get(row, column) === 1;
      const value = dark !== inverted ? 20 : 235;
      data.set([value, value, value, 255], (y * size + x) * 4);
    }
  }
  return { data, width: size, height: size };
}

const DESK_LINK =
  'openid4vp://?client_id=x509_hash%3AUvPz0yQ3b9mE2WqkR1t8sLd5VfG7hJ4nA6cX0oZp2Yk&request_uri=https%3A%2F%2Fdesk.example%2Fverify%2Frequest%2Fq1w2e3r4t5y6u7i8o9p0&request_uri_method=post';
const OFFER_LINK =
  'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fcity.example%2Ftenants%2Fbologna%2Foffers%2Fa1b2c3d4e5';

describe('decodeQrImage (the jsQR path, used where the browser has no BarcodeDetector)', () => {
  it('reads a desk’s OpenID4VP link and an office’s credential offer from generated QR images', async () => {
    expect(await decodeQrImage(qrImage(DESK_LINK))).toBe(DESK_LINK);
    expect(await decodeQrImage(qrImage(OFFER_LINK, { scale: 6, offset: 13 }))).toBe(OFFER_LINK);
  });

  it('reads a light-on-dark code, as some screens show them', async () => {
    expect(await decodeQrImage(qrImage(OFFER_LINK, { inverted: true }))).toBe(OFFER_LINK);
  });

  it('finds nothing in an empty frame or in noise', async () => {
    const blank = new Uint8ClampedArray(200 * 200 * 4).fill(255);
    expect(await decodeQrImage({ data: blank, width: 200, height: 200 })).toBeUndefined();
    let seed = 7;
    const noise = blank.map((_, index) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return index % 4 === 3 ? 255 : seed % 256;
    });
    expect(await decodeQrImage({ data: noise, width: 200, height: 200 })).toBeUndefined();
  });

  it('ignores a code holding more text than any wallet link', async () => {
    const long = `openid4vp://?request=${'a'.repeat(MAX_QR_TEXT)}`;
    expect(await decodeQrImage(qrImage(long, { scale: 3, level: 'L' }))).toBeUndefined();
    const fits = long.slice(0, MAX_QR_TEXT);
    expect(await decodeQrImage(qrImage(fits, { scale: 3, level: 'L' }))).toBe(fits);
  });
});
