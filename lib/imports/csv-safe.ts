// Writing CSV that is safe to open in a spreadsheet. Imported cells are stored exactly as uploaded
// (a "+44…" or "=SUM" cell is data); the defence against formula injection belongs to export time.

// OWASP's list: a leading =, +, -, @ makes Excel/Sheets evaluate the cell; tab and CR do too after trimming.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a cell that a spreadsheet would evaluate as a formula with a single quote, so it shows as text. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** One CSV field, quoted only when it has to be (RFC 4180). */
export function csvField(value: string, delimiter = ","): string {
  const needsQuotes = value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim();
  return needsQuotes ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV line without its line break. */
export function csvRow(fields: readonly string[], delimiter = ","): string {
  return fields.map((f) => csvField(f, delimiter)).join(delimiter);
}

/** A line for a file meant to be opened in a spreadsheet: neutralised cells, CRLF as Excel expects. */
export function safeCsvLine(fields: readonly string[]): string {
  return `${csvRow(fields.map(neutraliseCell))}\r\n`;
}
