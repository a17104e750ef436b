/** The `rxtrace` command: dispatches to one module per command group. */
import { UsageError } from './args.ts';
import { casesCommand, exceptionsCommand, historyCommand, tiCommand } from './commands/dscsa.ts';
import { epcisCommand } from './commands/epcis.ts';
import { fmdCommand, recallCommand } from './commands/fmd.ts';
import { gs1Command } from './commands/gs1.ts';
import { importCommand } from './commands/import.ts';
import { keysCommand } from './commands/keys.ts';
import { labelsCommand } from './commands/labels.ts';
import { locationsCommand, partnersCommand, productsCommand } from './commands/registry.ts';
import { serialsCommand } from './commands/serials.ts';
import { serveCommand } from './commands/serve.ts';
import { inventoryCommand, traceCommand } from './commands/trace.ts';
import { returnsCommand, verificationCommand } from './commands/verification.ts';

const HELP = `rxtrace — serialization and track-and-trace for drug distribution networks

Usage: rxtrace <command> [options]

Commands:
  gs1 parse <data>            parse any GS1 input (element string, bracketed, scan data, Digital Link, GTIN)
  gs1 parse --jsonl           parse one input per stdin line, one JSON result per line
  gs1 label <data> -o FILE    render a GS1 DataMatrix / GS1-128 / QR label as SVG or PNG
  gs1 decode <image>          decode a GS1 barcode from a PNG or JPEG image
  gs1 epc <data>              convert between GS1 element strings and EPC URIs
  labels pack|sscc|sheet      pack (DataMatrix) and SSCC logistic labels as SVG/PNG, PDF label sheets
  epcis validate <file...>    check EPCIS documents (JSON-LD or XML, 2.0 or 1.2)
  epcis convert <in> --to json|xml [--epcis 2.0|1.2]
  epcis hash <file>           the CBV 2.0 Event Hash ID of every event
  serve [--port 8080] [--data DIR | --db URL]
                              run the EPCIS repository (HTTP API, docs at /docs)
  keys create --role R[,R] [--label L]
                              create an API key (roles: capture, query, admin, verify)
  keys list | keys revoke <keyId>
  products add|list|show|import|delete    the product registry (GTIN, NDC, packaging hierarchy)
  locations add|list|show|import|delete   locations (GLN / SGLN)
  partners add|list|show|import|delete    trading partners, licences, authorised check
  serials pool create|pools|request|import|reconcile
                              serial number pools, issuance, reconciliation
  verification check|directory|log|purge
                              DSCSA verification: answers, lookup directory, exchange log
  returns receive|list|exceptions|resolve
                              saleable returns: verify, back to stock or quarantine
  import <file...> [--url URL --key KEY]
                              capture EPCIS files into the repository (or a running server)
  trace <id> [--json]         the journey of a pack or SSCC, its state and contents
  inventory [--by location,gtin,lot,status] [--items]
                              counts of packs (or the list) by location, GTIN, lot, status
  fmd verify|dispense|decommission|undo|alerts
                              EU FMD: verify a pack, supply it (scan → verify → dispense), undo
  recall create|list|show|close
                              recall or withdraw a lot or product: affected packs, holders notified
  ti <shipment> [--format json|xml|pdf]   DSCSA transaction information / statement of a shipment
  history <pack>              DSCSA transaction history of a pack
  exceptions list|show|check|resolve|raise   exceptions between trading partners
  cases open|list|show|overdue|investigate|clear|illegitimate|notify-fda|notify-partners|close|fda-3911|notices
                              suspect and illegitimate product (DSCSA), 24-hour clocks
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
    case 'serve':
      return withUsage('serve', () => serveCommand(rest));
    case 'keys':
      return keysCommand(rest);
    case 'products':
      return productsCommand(rest);
    case 'locations':
      return locationsCommand(rest);
    case 'partners':
      return partnersCommand(rest);
    case 'labels':
      return labelsCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'serials':
      return serialsCommand(rest);
    case 'verification':
      return verificationCommand(rest);
    case 'returns':
      return returnsCommand(rest);
    case 'trace':
      return withUsage('trace', () => traceCommand(rest));
    case 'inventory':
      return withUsage('inventory', () => inventoryCommand(rest));
    case 'fmd':
      return fmdCommand(rest);
    case 'recall':
      return recallCommand(rest);
    case 'ti':
      return withUsage('ti', () => tiCommand(rest));
    case 'history':
      return withUsage('history', () => historyCommand(rest));
    case 'exceptions':
      return exceptionsCommand(rest);
    case 'cases':
      return casesCommand(rest);
    default:
      process.stderr.write(`rxtrace: unknown command '${cmd}'\n\n${HELP}`);
      return 2;
  }
}

async function withUsage(name: string, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rxtrace ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
