/**
 * CSV as RFC 4180 writes it: records separated by CRLF (LF alone accepted), fields by commas,
 * a field in double quotes may hold commas, line breaks and doubled quotes (`""`). A file saved
 * by a spreadsheet with `;` as separator (common in Europe) is read too: the separator is `;` when
 * the header line has semicolons and no commas. A UTF-8 byte order mark is dropped; blank lines
 * are skipped. Each record keeps the line it starts on, for error messages.
 */
import type { FieldError } from './validate.ts';

export interface CsvRecord {
  /** 1-based line where the record starts. */
  line: number;
  values: string[];
}

export type CsvResult =
  | { ok: true; header: CsvRecord; records: CsvRecord[] }
  | { ok: false; errors: FieldError[] };

export function parseCsv(text: string): CsvResult {
  let s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (s.trim() === '')
    return {
      ok: false,
      errors: [
        { field: '', line: 1, message: 'the file is empty: a header row naming the fields comes first' },
      ],
    };
  const firstLine = s.slice(0, s.search(/\r?\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const records: CsvRecord[] = [];
  const errors: FieldError[] = [];
  let line = 1;
  let i = 0;
  const n = s.length;
  while (i < n) {
    const startLine = line;
    const values: string[] = [];
    let bad = false;
    for (;;) {
      // One field.
      let value = '';
      if (s[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) {
            errors.push({
              field: '',
              line: startLine,
              message: `line ${startLine}: a quoted field is not closed (a " is missing)`,
            });
            return { ok: false, errors };
          }
          const ch = s[i]!;
          if (ch === '"') {
            if (s[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          value += ch;
          i++;
        }
        if (i < n && s[i] !== sep && s[i] !== '\r' && s[i] !== '\n') {
          if (!bad)
            errors.push({
              field: '',
              line,
              message: `line ${line}: text after a closing quote (write "" for a quote inside a quoted field)`,
            });
          bad = true;
          while (i < n && s[i] !== sep && s[i] !== '\n') i++;
        }
      } else {
        const startField = i;
        while (i < n && s[i] !== sep && s[i] !== '\n' && s[i] !== '\r') i++;
        value = s.slice(startField, i);
        if (value.includes('"')) {
          if (!bad)
            errors.push({
              field: '',
              line,
              message: `line ${line}: a " inside a field that is not quoted (quote the whole field and double the quote)`,
            });
          bad = true;
        }
      }
      values.push(value);
      if (i < n && s[i] === sep) {
        i++;
        continue;
      }
      // End of record.
      if (s[i] === '\r') i++;
      if (s[i] === '\n') {
        i++;
        line++;
      } else if (i < n) {
        // A lone CR: treat as a line end.
        line++;
      }
      break;
    }
    if (!bad && !(values.length === 1 && values[0]!.trim() === '')) records.push({ line: startLine, values });
  }
  s = '';
  if (errors.length) return { ok: false, errors };
  const [header, ...rest] = records;
  if (!header) return { ok: false, errors: [{ field: '', line: 1, message: 'the file has no header row' }] };
  for (const r of rest) {
    if (r.values.length !== header.values.length)
      errors.push({
        field: '',
        line: r.line,
        message: `line ${r.line} has ${r.values.length} fields; the header has ${header.values.length}`,
      });
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, header, records: rest };
}

/** A header cell reduced to its letters and digits, lower case, `license` spelt `licence`. */
export function headerKey(h: string): string {
  return h
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/license/g, 'licence');
}
