export async function gs1Command(_argv: string[]): Promise<number> {
  process.stderr.write('rxtrace gs1: not yet implemented\n');
  return 2;
}
