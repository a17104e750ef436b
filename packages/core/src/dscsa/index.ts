/** DSCSA: transaction information / statement, exceptions between partners, suspect product cases. */

export * from './cases.ts';
export { bare, contentsAt, glnOf, leavesOf } from './common.ts';
export * from './receipts.ts';
export { type TextLine as PdfTextLine, textPdf } from './text-pdf.ts';
export * from './ti.ts';
export { shipmentEvents, tiToEpcis12, tiToPdf } from './ti-export.ts';
