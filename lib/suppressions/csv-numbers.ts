// A do-not-call CSV read into entries: a header row with a "phone" / "number" column (and an optional "reason"),
// or a single column of numbers without a header. The bytes go through the import's own CsvReader (its byte guard
// for size and encoding, delimiter detection, csv-parse, line numbers), so both uploads read a file the same way.
import type { Readable } from "node:stream";
import type { CountryCode } from "libphonenumber-js/max";
import { formatBytes } from "../imports/byte-guard";
import { CsvReader } from "../imports/csv-reader";
import { guessMapping, normaliseHeader } from "../imports/mapping";
import { normalisePhone } from "../imports/phone";
import { ImportError } from "../imports/schema";
import { MAX_REASON_LENGTH } from "./schema";

export type NumbersSource = Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

export interface NumbersCsvLimits {
  maxBytes: number;
  maxRows: number;
}

export interface CsvEntry {
  phone: string;
  reason: string | null;
  line: number;
}

/** A list file has two or three columns; these bound a hostile one far below the lead import's limits. */
const MAX_COLUMNS = 50;
const MAX_LINE_BYTES = 16 * 1024;
const MAX_HEADER_BYTES = 16 * 1024;

/**
 * Every data row as an entry (numbers as written: they are normalised by addSuppressions), plus the rows refused
 * here. Throws ImportError for a file that cannot be used at all: too big, too many rows, not text, no phone column.
 */
export async function readNumbersCsv(source: NumbersSource, limits: NumbersCsvLimits, defaultCountry: CountryCode) {
  const entries: CsvEntry[] = [];
  const rejected: { input: string; reason: string; line: number }[] = [];
  let rows = 0;
  let phoneAt = 0;
  let reasonAt = -1;

  const take = (fields: string[], line: number) => {
    if (++rows > limits.maxRows) {
      throw new ImportError("too_many_rows", `the file has more than ${limits.maxRows.toLocaleString("en-US")} rows; split it into smaller files`, line);
    }
    const phone = fields[phoneAt]?.trim() ?? "";
    const reason = reasonAt === -1 ? "" : (fields[reasonAt]?.trim() ?? "");
    if (reason.length > MAX_REASON_LENGTH) return void rejected.push({ input: phone, reason: `the reason is longer than ${MAX_REASON_LENGTH} characters`, line });
    entries.push({ phone, reason: reason || null, line });
  };

  const reader = new CsvReader(
    { maxBytes: limits.maxBytes, maxLineBytes: MAX_LINE_BYTES, maxColumns: MAX_COLUMNS, maxHeaderBytes: MAX_HEADER_BYTES },
    {
      header(headers) {
        const phoneColumn = guessMapping(headers).phoneColumn;
        if (phoneColumn !== undefined) {
          phoneAt = headers.indexOf(phoneColumn);
          reasonAt = headers.findIndex((h) => normaliseHeader(h) === "reason");
          return;
        }
        if (headers.length > 1) {
          const available = headers.map((h) => `"${h}"`).join(", ");
          throw new ImportError("missing_phone_column", `no phone column found (name it "phone" or "number"); the file has columns ${available}`, 1);
        }
        // One column and no recognised name: a list of bare numbers, unless its first cell is not a number at all
        // (a header such as "Kontakte"), which is then skipped like any header.
        if (normalisePhone(headers[0]!, defaultCountry).ok) take(headers, 1);
      },
      record: take,
    },
  );
  for await (const chunk of chunksOf(source)) reader.push(chunk);
  reader.end();
  if (rows === 0) throw new ImportError("no_data_rows", "the file has no numbers");
  return { entries, rejected };
}

/** What a limit on a declared size says, in the reader's own words (413 too_large). */
export function numbersCsvTooLarge(maxBytes: number) {
  return new ImportError("too_large", `file is larger than ${formatBytes(maxBytes)}; split it into smaller files`);
}

async function* chunksOf(source: NumbersSource): AsyncGenerator<Buffer> {
  if (typeof (source as ReadableStream<Uint8Array>).getReader === "function") {
    const reader = (source as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
    } finally {
      // Stopping early (a file over the limit) must also stop the upload, not leave it flowing into nothing.
      await reader.cancel().catch(() => {});
    }
  }
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}
