// Streaming CSV → validated leads, in batches, with everything refused explained per line.
// Memory stays flat whatever the file size: one chunk, one batch and the set of phones seen (for dedupe).
import type { Readable } from "node:stream";
import type { CountryCode } from "libphonenumber-js/max";
import { env } from "../env";
import { csvRow } from "./csv-safe";
import { CsvReader, type Delimiter } from "./csv-reader";
import { guessMapping, normaliseHeader, variableColumns, type GuessedMapping } from "./mapping";
import { normalisePhone } from "./phone";
import { PhoneSet } from "./phone-set";
import { ImportError, type ColumnMapping } from "./schema";
import { canonicalTimeZone } from "./timezone";

export type { Delimiter } from "./csv-reader";

/** The upload body as it arrives: a Node stream, a fetch/Request body, or any async source of bytes. */
export type ImportSource = Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

export interface ImportLimits {
  maxBytes: number;
  /** Data rows, header excluded; blank lines do not count. */
  maxRows: number;
  maxLineBytes: number;
}

export interface LeadRow {
  line: number;
  /** E.164 */
  phone: string;
  name: string | null;
  timezone: string | null;
  variables: Record<string, string>;
}

export interface RejectedLine {
  line: number;
  reason: string;
  /** The row re-written as CSV with the file's delimiter. */
  raw: string;
}

export interface ParsedBatch {
  leads: LeadRow[];
  rejected: RejectedLine[];
  /** Rows in this batch dropped because an earlier row had the same phone. */
  duplicates: number;
  /** Running totals, for progress. */
  rows: number;
  bytes: number;
}

export interface ParseOptions {
  defaultCountry: CountryCode;
  /** Omitted = guessed from the header row. */
  mapping?: ColumnMapping;
  limits?: Partial<ImportLimits>;
}

export const MAX_LINE_BYTES = 1024 * 1024;
const BATCH_ROWS = 2000;

export function defaultLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  const e = env();
  return { maxBytes: e.IMPORT_MAX_BYTES, maxRows: e.IMPORT_MAX_ROWS, maxLineBytes: MAX_LINE_BYTES, ...overrides };
}

/**
 * Yields batches of leads and rejected rows as the source streams in. Throws ImportError for a file that
 * cannot be imported at all — possibly after earlier batches, so a caller that must not keep a partial
 * result (importCampaign) writes inside a transaction.
 */
export async function* parseLeads(source: ImportSource, options: ParseOptions): AsyncGenerator<ParsedBatch> {
  const limits = defaultLimits(options.limits);
  const country = options.defaultCountry;
  const seen = new PhoneSet();
  let batch = emptyBatch();
  let rows = 0;
  let delimiter: Delimiter = ",";
  let headerCount = 0;
  let phoneAt = -1;
  let nameAt = -1;
  let timezoneAt = -1;
  let makeVariables: (fields: string[]) => Record<string, string> = () => ({});

  const reject = (line: number, reason: string, fields: string[]) => {
    batch.rejected.push({ line, reason, raw: csvRow(fields, delimiter) });
  };

  const reader = new CsvReader(limits, {
    header(headers, d) {
      delimiter = d;
      headerCount = headers.length;
      const mapping = resolveMapping(headers, options.mapping);
      phoneAt = headers.indexOf(mapping.phoneColumn);
      nameAt = mapping.nameColumn === undefined ? -1 : headers.indexOf(mapping.nameColumn);
      timezoneAt = mapping.timezoneColumn === undefined ? -1 : headers.indexOf(mapping.timezoneColumn);
      const variables = variableColumns(headers, mapping);
      makeVariables = variableMaker(
        variables,
        variables.map((v) => headers.indexOf(v)),
      );
    },
    record(fields, line) {
      if (++rows > limits.maxRows) {
        throw new ImportError("too_many_rows", `the file has more than ${limits.maxRows.toLocaleString("en-US")} rows; split it into smaller files`, line);
      }
      if (fields.length !== headerCount) return reject(line, `has ${fields.length} fields, the header has ${headerCount}`, fields);
      const phone = normalisePhone(fields[phoneAt]!, country);
      if (!phone.ok) return reject(line, phone.reason, fields);
      let timezone: string | null = null;
      if (timezoneAt !== -1) {
        const written = fields[timezoneAt]!.trim();
        if (written !== "") {
          timezone = canonicalTimeZone(written);
          if (timezone === null) return reject(line, `unknown time zone "${written}"`, fields);
        }
      }
      if (!seen.add(phone.e164)) {
        batch.duplicates++;
        return;
      }
      const name = nameAt === -1 ? null : fields[nameAt]!.trim() || null;
      batch.leads.push({ line, phone: phone.e164, name, timezone, variables: makeVariables(fields) });
    },
  });

  for await (const chunk of chunksOf(source)) {
    reader.push(chunk);
    if (batch.leads.length + batch.rejected.length + batch.duplicates >= BATCH_ROWS) {
      yield { ...batch, rows, bytes: reader.bytes };
      batch = emptyBatch();
    }
  }
  reader.end();
  if (rows === 0) throw new ImportError("no_data_rows", "the file has a header row but no data rows");
  yield { ...batch, rows, bytes: reader.bytes };
}

export interface CsvPreview {
  headers: string[];
  /** Up to n data rows, as written (not validated). */
  rows: string[][];
  delimiter: Delimiter;
  mapping: GuessedMapping;
}

/**
 * The header, the first n rows and a guessed mapping, for the upload form. Pass `truncated: true` when
 * `bytes` is only the start of the file: the row cut off at the end is then left out instead of failing.
 */
export function preview(bytes: Uint8Array, n = 5, { truncated = false }: { truncated?: boolean } = {}): CsvPreview {
  let headers: string[] | undefined;
  let delimiter: Delimiter = ",";
  const rows: string[][] = [];
  const reader = new CsvReader(
    { maxBytes: Number.POSITIVE_INFINITY, maxLineBytes: MAX_LINE_BYTES },
    {
      header(h, d) {
        headers = h;
        delimiter = d;
      },
      record(fields) {
        if (rows.length === n) throw enough;
        rows.push(fields);
      },
    },
  );
  try {
    reader.push(toBuffer(bytes));
    if (!truncated) reader.end();
  } catch (err) {
    if (err !== enough) throw err;
  }
  if (!headers) {
    throw truncated
      ? new ImportError("line_too_long", `the header row does not end within the first ${bytes.length} bytes`, 1)
      : new ImportError("empty_file", "the file is empty");
  }
  if (rows.length === 0 && !truncated) throw new ImportError("no_data_rows", "the file has a header row but no data rows");
  return { headers, rows, delimiter, mapping: guessMapping(headers) };
}

/** The mapping to use: the one chosen by the user (checked against the file) or the guessed one. */
function resolveMapping(headers: string[], chosen: ColumnMapping | undefined): ColumnMapping {
  const available = headers.map((h) => `"${h}"`).join(", ");
  if (!chosen) {
    const guess = guessMapping(headers);
    if (guess.phoneColumn === undefined) {
      throw new ImportError("missing_phone_column", `no phone column found (name one "phone", "mobile" or "number"); the file has columns ${available}`, 1);
    }
    return { phoneColumn: guess.phoneColumn, nameColumn: guess.nameColumn, timezoneColumn: guess.timezoneColumn };
  }
  const find = (column: string) => headers.find((h) => h === column) ?? headers.find((h) => normaliseHeader(h) === normaliseHeader(column));
  const phoneColumn = find(chosen.phoneColumn);
  if (phoneColumn === undefined) {
    throw new ImportError("missing_phone_column", `phone column "${chosen.phoneColumn}" is not in the file; it has columns ${available}`, 1);
  }
  const optional = (column: string | undefined, what: string) => {
    if (column === undefined) return undefined;
    const found = find(column);
    if (found === undefined) throw new ImportError("unknown_column", `${what} column "${column}" is not in the file; it has columns ${available}`, 1);
    return found;
  };
  return { phoneColumn, nameColumn: optional(chosen.nameColumn, "name"), timezoneColumn: optional(chosen.timezoneColumn, "time zone") };
}

function variableMaker(names: string[], at: number[]): (fields: string[]) => Record<string, string> {
  // A "__proto__" header would set the prototype of a plain object instead of adding a key.
  const proto = names.includes("__proto__");
  return (fields) => {
    const v: Record<string, string> = proto ? Object.create(null) : {};
    for (let i = 0; i < names.length; i++) v[names[i]!] = fields[at[i]!]!;
    return v;
  };
}

function emptyBatch(): ParsedBatch {
  return { leads: [], rejected: [], duplicates: 0, rows: 0, bytes: 0 };
}

const enough = new Error("preview has enough rows");

async function* chunksOf(source: ImportSource): AsyncGenerator<Buffer> {
  if (isWebStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toBuffer(value);
      }
    } finally {
      // Stopping early (a bad file) must also stop the upload, not leave it flowing into nothing.
      await reader.cancel().catch(() => {});
    }
  }
  for await (const chunk of source) yield toBuffer(chunk as Uint8Array | string);
}

function isWebStream(source: ImportSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
