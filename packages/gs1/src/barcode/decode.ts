/**
 * Barcode decoding with zxing-wasm (ZXing-C++ compiled to WebAssembly): PNG or JPEG bytes in, the
 * scan data a scanner would transmit out — ISO/IEC 15424 symbology identifier (`]d2`, `]C1`, `]Q3`,
 * `]Q1`, `]d1`, `]e0`, …) followed by the raw data, with ASCII GS (0x1D) for each FNC1 separator.
 *
 * zxing-wasm's default text is the bracketed HRI, so it is read with `textMode: 'Plain'`. In Node the
 * module would `fetch()` its `.wasm` from a file path and fail, so the bytes are read from
 * node_modules and handed over (`prepareZXingModule({ overrides: { wasmBinary } })`), once, on first
 * use. ZXing-C++ recognises GS1-128 by its leading FNC1, so no GS1 hint is needed (the Java ZXing
 * `ASSUME_GS1` hint of zxing#1457 has no counterpart here).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { problem, type Result } from '../errors.ts';

type ZxingReader = typeof import('zxing-wasm/reader');
type ReaderOptions = NonNullable<Parameters<ZxingReader['readBarcodes']>[1]>;
/** zxing-wasm format names accepted by {@link DecodeOptions.formats} (`DataMatrix`, `QRCode`, `Code128`, …). */
export type DecodeFormat = NonNullable<ReaderOptions['formats']>[number];

export interface DecodeOptions {
  /** Restrict the search to these formats (faster). Default: every format zxing-wasm knows. */
  formats?: DecodeFormat[];
  /** Spend more time looking (rotations, downscaling). Default true. */
  tryHarder?: boolean;
  /** Refuse images larger than this many pixels before decoding them. Default 40 million. */
  maxPixels?: number;
}

/** One symbol found in the image. */
export interface DecodedSymbol {
  /** What a scanner would transmit: `symbologyIdentifier + data`. */
  scanData: string;
  /** ISO/IEC 15424 symbology identifier, e.g. `]d2` (GS1 DataMatrix) or `]Q1` (plain QR). */
  symbologyIdentifier: string;
  /** The data, with ASCII GS (0x1D) for FNC1 separators and no leading FNC1. */
  data: string;
  /** zxing-wasm's name of the symbology: `DataMatrix`, `QRCode`, `Code128`, `DataBarExpanded`, … */
  format: string;
  /** True when the symbol carries GS1 AI data (FNC1 in first position). */
  gs1: boolean;
}

let reader: Promise<ZxingReader> | undefined;

/** Loads zxing-wasm and its reader `.wasm` once; a failed load is retried on the next call. */
function loadReader(): Promise<ZxingReader> {
  reader ??= (async () => {
    const zx = await import('zxing-wasm/reader');
    const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const bytes = await readFile(wasmPath);
    const wasmBinary = bytes.buffer.slice(
      bytes.byteOffset,
      bytes.byteOffset + bytes.byteLength,
    ) as ArrayBuffer;
    await zx.prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
    return zx;
  })();
  reader.catch(() => {
    reader = undefined;
  });
  return reader;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v);
}
function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Width × height from a PNG IHDR chunk, or undefined when it is missing. */
function pngPixels(b: Uint8Array): number | undefined {
  if (b.length < 24) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (String.fromCharCode(b[12]!, b[13]!, b[14]!, b[15]!) !== 'IHDR') return undefined;
  return dv.getUint32(16) * dv.getUint32(20);
}

/** Width × height from the first JPEG start-of-frame marker, or undefined when none is found. */
function jpegPixels(b: Uint8Array): number | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    // SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const h = (b[i + 5]! << 8) | b[i + 6]!;
      const w = (b[i + 7]! << 8) | b[i + 8]!;
      return w * h;
    }
    if (marker === 0xda || len < 2) return undefined;
    i += 2 + len;
  }
  return undefined;
}

const fail = (code: string, message: string): Result<never> => ({
  ok: false,
  errors: [problem(code, message)],
});

/**
 * Finds and decodes every barcode in a PNG or JPEG image. Returns the symbols in the order zxing-wasm
 * reports them, or an error: `RX_BARCODE_EMPTY_IMAGE`, `RX_BARCODE_UNSUPPORTED_IMAGE` (not PNG or
 * JPEG), `RX_BARCODE_IMAGE_TOO_LARGE`, `RX_BARCODE_UNREADABLE_IMAGE` (corrupt or truncated file),
 * `RX_BARCODE_NOT_FOUND` (a readable image with no decodable barcode), `RX_BARCODE_DECODER_FAILED`.
 */
export async function decodeBarcodes(
  image: Uint8Array,
  options: DecodeOptions = {},
): Promise<Result<DecodedSymbol[]>> {
  if (!(image instanceof Uint8Array))
    return fail('RX_BARCODE_UNSUPPORTED_IMAGE', 'The image must be given as bytes (a Uint8Array).');
  if (image.length === 0) return fail('RX_BARCODE_EMPTY_IMAGE', 'The image is empty (0 bytes).');
  const png = isPng(image);
  if (!png && !isJpeg(image)) {
    return fail(
      'RX_BARCODE_UNSUPPORTED_IMAGE',
      'The image is neither a PNG nor a JPEG file (its first bytes do not match).',
    );
  }
  const pixels = png ? pngPixels(image) : jpegPixels(image);
  if (pixels === undefined) {
    return fail(
      'RX_BARCODE_UNREADABLE_IMAGE',
      `The ${png ? 'PNG' : 'JPEG'} file is corrupt: its image size cannot be read.`,
    );
  }
  const maxPixels = options.maxPixels ?? 40_000_000;
  if (pixels > maxPixels) {
    return fail(
      'RX_BARCODE_IMAGE_TOO_LARGE',
      `The image has ${pixels} pixels; at most ${maxPixels} are accepted.`,
    );
  }

  let zx: ZxingReader;
  try {
    zx = await loadReader();
  } catch (e) {
    return fail(
      'RX_BARCODE_DECODER_FAILED',
      `The barcode decoder (zxing-wasm) could not be loaded: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }
  let results: Awaited<ReturnType<ZxingReader['readBarcodes']>>;
  try {
    results = await zx.readBarcodes(image, {
      textMode: 'Plain',
      formats: options.formats ?? [],
      tryHarder: options.tryHarder ?? true,
    });
  } catch (e) {
    // An abort inside the WebAssembly module may leave it unusable: load a fresh one next time.
    zx.purgeZXingModule();
    reader = undefined;
    return fail(
      'RX_BARCODE_DECODER_FAILED',
      `The barcode decoder failed on this image: ${e instanceof Error ? e.message : String(e)}.`,
    );
  }

  const found: DecodedSymbol[] = [];
  for (const r of results) {
    if (!r.isValid) {
      // Without `returnErrors`, an invalid result with no format is the image loader's complaint.
      if (!r.format) {
        return fail(
          'RX_BARCODE_UNREADABLE_IMAGE',
          `The ${png ? 'PNG' : 'JPEG'} file is corrupt or truncated (${r.error || 'cannot be loaded'}).`,
        );
      }
      continue;
    }
    found.push({
      scanData: r.symbologyIdentifier + r.text,
      symbologyIdentifier: r.symbologyIdentifier,
      data: r.text,
      format: r.format,
      gs1: r.contentType === 'GS1',
    });
  }
  if (found.length === 0)
    return fail('RX_BARCODE_NOT_FOUND', 'No barcode could be found and decoded in the image.');
  return { ok: true, value: found };
}
