/** DSCSA: transaction information / statement, exceptions between partners, suspect product cases. */
export { bare, contentsAt, glnOf, leavesOf } from './common.ts';
export * from './cases.ts';
export * from './receipts.ts';
export { textPdf, type TextLine as PdfTextLine } from './text-pdf.ts';
export * from './ti.ts';
export { shipmentEvents, tiToEpcis12, tiToPdf } from './ti-export.ts';
