/**
 * Reading the QR codes offices and desks show (issue 6 §1 Receive and Share): the camera through
 * `getUserMedia`, decoded by the browser's `BarcodeDetector` (Shape Detection API) where it has one
 * for QR codes, else by jsQR, a pure-JS decoder bundled with the app and loaded only then. Frames
 * never leave the phone. Pasting the link stays possible everywhere.
 */

/** An image as `ImageData` holds it: RGBA bytes, row by row. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
}

/** jsQR's entry point. */
type JsQr = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: string },
) => {
  data: string;
} | null;

let jsQrLoad: Promise<JsQr> | undefined;

/** jsQR, loaded once (a CommonJS module: its function is the default export, or that export's `default`). */
export function loadJsQr(): Promise<JsQr> {
  jsQrLoad ??= import('jsqr').then((namespace) => {
    const loaded = (namespace as unknown as { default: JsQr | { default: JsQr } }).default;
    return typeof loaded === 'function' ? loaded : loaded.default;
  });
  return jsQrLoad;
}

/**
 * The longest text the wallet takes from a QR code. Links by reference are short and a request or
 * offer by value a few hundred characters; a code near the format's limit (2 953 bytes) is not ours.
 */
export const MAX_QR_TEXT = 2048;

/**
 * The text of the QR code in `image`, or `undefined` when there is none (or it is not text a
 * wallet link could be). Light-on-dark codes are read too.
 * @example const text = await decodeQrImage(context.getImageData(0, 0, width, height));
 */
export async function decodeQrImage(image: RgbaImage): Promise<string | undefined> {
  const jsQr = await loadJsQr();
  const found = jsQr(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' });
  const text = found?.data.trim();
  return text === undefined || text === '' || text.length > MAX_QR_TEXT ? undefined : text;
}

/** Why the camera could not be used: the holder refused, or there is no usable camera. */
export type CameraProblem = 'denied' | 'unavailable';

/** A camera that is running; `stop` turns it off (the light goes out). */
export interface RunningScanner {
  stop(): void;
}

interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** The camera running now, if any: at most one, stopped on every screen change and on lock. */
let running: { stop(): void } | undefined;
/** Counts stops, so a camera that was still starting when the screen changed is turned off at once. */
let stops = 0;

/** Turns off the camera if it is on (main.ts calls it on every screen change and when the wallet locks). */
export function stopCamera(): void {
  stops++;
  running?.stop();
  running = undefined;
}

/** The browser's QR detector, when it has one (Chrome on Android and macOS; not on Linux desktops). */
async function nativeDetector(): Promise<BarcodeDetectorLike | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector === undefined) return undefined;
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return undefined;
    return new Detector({ formats: ['qr_code'] });
  } catch {
    return undefined;
  }
}

/** How often a frame is looked at: often enough to feel instant, rarely enough for a cheap phone. */
const FRAME_MS = 200;
/** Frames are scaled down to this width before jsQR reads them. */
const MAX_FRAME_WIDTH = 640;

/**
 * Starts the back camera in `video` and calls `onText` once with the first QR code's text, then
 * stops; or says why the camera cannot be used.
 */
export async function startScanner(
  video: HTMLVideoElement,
  onText: (text: string) => void,
): Promise<RunningScanner | CameraProblem> {
  stopCamera();
  const started = stops;
  const media = navigator.mediaDevices;
  if (media === undefined || typeof media.getUserMedia !== 'function') return 'unavailable';
  let stream: MediaStream;
  try {
    stream = await media.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
  } catch (error) {
    const name = error instanceof Error || error instanceof DOMException ? error.name : '';
    return name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'unavailable';
  }
  if (stops !== started) {
    // The holder left the screen (or the wallet locked) while the camera was starting.
    for (const track of stream.getTracks()) track.stop();
    return { stop: () => undefined };
  }
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const scanner: RunningScanner = {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
  running = scanner;
  video.muted = true;
  video.setAttribute('playsinline', '');
  video.srcObject = stream;
  await video.play().catch(() => undefined);

  const detector = await nativeDetector();
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const look = async (): Promise<void> => {
    if (stopped) return;
    let text: string | undefined;
    try {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        if (detector !== undefined) {
          text = (await detector.detect(video))[0]?.rawValue?.trim();
        } else if (context !== null) {
          const scale = Math.min(1, MAX_FRAME_WIDTH / video.videoWidth);
          canvas.width = Math.round(video.videoWidth * scale);
          canvas.height = Math.round(video.videoHeight * scale);
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          text = await decodeQrImage(context.getImageData(0, 0, canvas.width, canvas.height));
        }
      }
    } catch {
      // A frame that cannot be read (the camera was just stopped, a detector hiccup): try the next.
    }
    if (stopped) return;
    if (text !== undefined && text !== '' && text.length <= MAX_QR_TEXT) {
      stopCamera();
      onText(text);
      return;
    }
    timer = setTimeout(() => void look(), FRAME_MS);
  };
  void look();
  return scanner;
}
