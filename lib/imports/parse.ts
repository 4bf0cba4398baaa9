// Streaming CSV → validated leads, in batches, with everything refused explained per line.
// Memory stays flat whatever the file size: one chunk, one batch and the set of phones seen (for dedupe).
import type { Readable } from "node:stream";
import type { CountryCode } from "libphonenumber-js/max";
import { env } from "../env";
import { refusedNumber, type DestinationPolicy } from "../tenants/destinations";
import { formatBytes } from "./byte-guard";
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
  /** IMPORT_MAX_COLUMNS: a file with more columns is refused as a whole. */
  maxColumns: number;
  maxHeaderBytes: number;
  /** IMPORT_MAX_VARIABLES_BYTES, as JSON: a row over it is rejected, the rest of the file imports. */
  maxVariablesBytes: number;
}

export interface LeadRow {
  line: number;
  /** E.164 */
  phone: string;
  name: string | null;
  /** The file's time-zone cell as a canonical IANA name; null when blank or not a time zone. */
  timezone: string | null;
  /** The cell as written when it is not a time zone (cut to 64 characters): the zone then comes from the number or the campaign. */
  ignoredTimeZone?: string;
  /** The number's country (ISO alpha-2), "" when its calling code is shared and the digits don't tell. */
  country: string;
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
  /** Where the account may call; a row with another destination is rejected with the reason. Omitted = anywhere. */
  destinations?: DestinationPolicy;
  /** Stops the parse at once, even while waiting for bytes of a stalled upload; throws the signal's reason. */
  signal?: AbortSignal;
}

export const MAX_LINE_BYTES = 1024 * 1024;
/** Room for 200 column names of 300 characters; a header has to be held whole until its delimiter is known. */
export const MAX_HEADER_BYTES = 64 * 1024;
const BATCH_ROWS = 2000;
/** An IANA name is at most about 30 characters; a longer cell is shown cut. */
const MAX_IGNORED_ZONE_CHARS = 64;

export function defaultLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  const e = env();
  return {
    maxBytes: e.IMPORT_MAX_BYTES,
    maxRows: e.IMPORT_MAX_ROWS,
    maxLineBytes: MAX_LINE_BYTES,
    maxColumns: e.IMPORT_MAX_COLUMNS,
    maxHeaderBytes: MAX_HEADER_BYTES,
    maxVariablesBytes: e.IMPORT_MAX_VARIABLES_BYTES,
    ...overrides,
  };
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
      // A Map, not indexOf per variable: that is quadratic, hours of CPU for a header of a million columns.
      const at = new Map(headers.map((h, i) => [h, i]));
      makeVariables = variableMaker(
        variables,
        variables.map((v) => at.get(v)!),
      );
    },
    record(fields, line) {
      if (++rows > limits.maxRows) {
        throw new ImportError("too_many_rows", `the file has more than ${limits.maxRows.toLocaleString("en-US")} rows; split it into smaller files`, line);
      }
      if (fields.length !== headerCount) return reject(line, `has ${fields.length} fields, the header has ${headerCount}`, fields);
      const phone = normalisePhone(fields[phoneAt]!, country);
      if (!phone.ok) return reject(line, phone.reason, fields);
      if (options.destinations) {
        const refused = refusedNumber(phone.number, options.destinations);
        if (refused !== null) return reject(line, refused, fields);
      }
      // A cell that is not a time zone does not cost the lead: its zone comes from the number (or the campaign)
      // instead, and the import result says which values were ignored.
      const written = timezoneAt === -1 ? "" : fields[timezoneAt]!.trim();
      const timezone = written === "" ? null : canonicalTimeZone(written);
      const variables = makeVariables(fields);
      const size = variablesOver(variables, limits.maxVariablesBytes);
      if (size !== null) {
        return reject(line, `its other columns (the lead's variables) take ${formatBytes(size)} as JSON, more than the ${formatBytes(limits.maxVariablesBytes)} allowed per lead`, fields);
      }
      // After every check: a rejected row must not make a later, valid row with the same phone a duplicate.
      if (!seen.add(phone.e164)) {
        batch.duplicates++;
        return;
      }
      const name = nameAt === -1 ? null : fields[nameAt]!.trim() || null;
      const lead: LeadRow = { line, phone: phone.e164, name, timezone, country: phone.number.country ?? "", variables };
      if (written !== "" && timezone === null) lead.ignoredTimeZone = written.slice(0, MAX_IGNORED_ZONE_CHARS);
      batch.leads.push(lead);
    },
  });

  for await (const chunk of untilAborted(chunksOf(source), options.signal)) {
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
    { ...defaultLimits(), maxBytes: Number.POSITIVE_INFINITY },
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
    // An empty cell says nothing about the lead; a wide sparse sheet would otherwise store every column name per lead.
    for (let i = 0; i < names.length; i++) {
      const value = fields[at[i]!]!;
      if (value.trim() !== "") v[names[i]!] = value;
    }
    return v;
  };
}

/** The JSON size of `variables` in bytes when it is over `max`, else null. */
function variablesOver(variables: Record<string, string>, max: number): number | null {
  // A cheap upper bound first: a UTF-16 unit takes at most 6 bytes in JSON (\u001f), an entry 6 more ("":"",).
  let bound = 2;
  for (const key in variables) bound += 6 * (key.length + variables[key]!.length + 1);
  if (bound <= max) return null;
  const bytes = Buffer.byteLength(JSON.stringify(variables));
  return bytes > max ? bytes : null;
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

/**
 * The chunks of `source` until `signal` aborts, which ends the wait for the next chunk at once: a stalled
 * upload would otherwise hold the import (and its connection) until the client sent another byte.
 */
async function* untilAborted<T>(source: AsyncGenerator<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (!signal) return yield* source;
  signal.throwIfAborted();
  let stop!: (reason: unknown) => void;
  const aborted = new Promise<never>((_, reject) => (stop = reject));
  aborted.catch(() => {});
  const onAbort = () => stop(signal.reason);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      const next = source.next();
      // If the abort wins, the read it overtook may still fail later (e.g. the upload is cancelled): nobody awaits it.
      next.catch(() => {});
      const result = await Promise.race([next, aborted]);
      if (result.done) return;
      yield result.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    // Not awaited: with a read still pending, return() waits for it, and the caller must not.
    source.return(undefined).catch(() => {});
  }
}

function isWebStream(source: ImportSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === "function";
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
