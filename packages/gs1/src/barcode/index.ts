/**
 * `@rxtrace/gs1/barcode`: draw GS1 barcodes (SVG or PNG) with bwip-js, and read them back from PNG or
 * JPEG images with zxing-wasm, as the scan data a scanner would transmit.
 */

export { type DecodedSymbol, type DecodeFormat, type DecodeOptions, decodeBarcodes } from './decode.ts';
export {
  type GlyphBitmap,
  hriGlyph,
  type LinearModules,
  type MatrixModules,
  type SymbolModules,
  symbolModules,
} from './modules.ts';
export {
  type BarcodeContent,
  type DigitalLinkSymbology,
  expectedScanData,
  type Gs1Symbology,
  hriLines,
  type RenderOptions,
  renderPng,
  renderSvg,
  type Symbology,
} from './render.ts';
