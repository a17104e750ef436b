/** The `rxtrace` command: dispatches to one module per command group. */
import { epcisCommand } from './commands/epcis.ts';
import { gs1Command } from './commands/gs1.ts';

const HELP = `rxtrace — serialization and track-and-trace for drug distribution networks

Usage: rxtrace <command> [options]

Commands:
  gs1 parse <data>            parse any GS1 input (element string, bracketed, scan data, Digital Link, GTIN)
  gs1 parse --jsonl           parse one input per stdin line, one JSON result per line
  gs1 label <data> -o FILE    render a GS1 DataMatrix / GS1-128 / QR label as SVG or PNG
  gs1 decode <image>          decode a GS1 barcode from a PNG or JPEG image
  gs1 epc <data>              convert between GS1 element strings and EPC URIs
  epcis validate <file...>    check EPCIS documents (JSON-LD or XML, 2.0 or 1.2)
  epcis convert <in> --to json|xml [--epcis 2.0|1.2]
  epcis hash <file>           the CBV 2.0 Event Hash ID of every event
  help                        this text

Run 'rxtrace <command> --help' for the options of a command.
`;

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    case 'gs1':
      return gs1Command(rest);
    case 'epcis':
      return epcisCommand(rest);
    default:
      process.stderr.write(`rxtrace: unknown command '${cmd}'\n\n${HELP}`);
      return 2;
  }
}
