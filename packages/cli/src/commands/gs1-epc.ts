/** `rxtrace gs1 epc`: GS1 element data ⇄ EPC URIs and RFID tag encodings. */
export async function epcCommand(_argv: string[]): Promise<number> {
  process.stderr.write('rxtrace gs1 epc: not available yet\n');
  return 2;
}
