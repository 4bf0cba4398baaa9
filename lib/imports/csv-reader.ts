// The byte-level half of an import: size and encoding checks, delimiter detection, csv-parse, line numbers,
// and the limits on the shape of the file (columns, header size) checked while the header streams in.
// Synchronous by design: each chunk is parsed and its records handed over before push() returns, so the
// line a parse error reports is exactly where the broken record starts, and nothing piles up in buffers.
import { Parser } from "csv-parse";
import { ByteGuard, formatBytes } from "./byte-guard";
import { ImportError } from "./schema";

export type Delimiter = "," | ";" | "\t";

export interface ReaderLimits {
  maxBytes: number;
  /** csv-parse's max_record_size: without it, one unclosed quote buffers the whole file in memory. */
  maxLineBytes: number;
  /** Columns in the header row. Counted as the header streams in, so a million-column header costs a few KB. */
  maxColumns: number;
  /** The header row is held whole until the delimiter is known; this bounds it far below maxLineBytes. */
  maxHeaderBytes: number;
}

export interface ReaderEvents {
  /** Called once with the first non-blank record, names trimmed and checked for duplicates. */
  header(headers: string[], delimiter: Delimiter): void;
  /** `line` is where the record starts in the file (1-based, counting blank lines and line breaks in quotes). */
  record(fields: string[], line: number): void;
}

export class CsvReader {
  private readonly guard: ByteGuard;
  private parser: Parser | null = null;
  /** Bytes before the end of the header line, held back until the delimiter can be chosen. */
  private head: Buffer[] = [];
  private headBytes = 0;
  private readonly sniffer = new DelimiterSniffer();
  private headerSeen = false;
  private nextLine = 1;
  private delimiter: Delimiter = ",";

  constructor(
    private readonly limits: ReaderLimits,
    private readonly on: ReaderEvents,
  ) {
    this.guard = new ByteGuard(limits.maxBytes);
  }

  /** Bytes of the file as uploaded. */
  get bytes(): number {
    return this.guard.bytes;
  }

  push(chunk: Buffer): void {
    this.text(this.guard.push(chunk));
  }

  /** End of input. Not called for a preview of the first bytes, whose cut-off last record must stay unparsed. */
  end(): void {
    this.text(this.guard.end());
    if (!this.parser) this.start(this.sniffer.result());
    this.parser!.end();
    this.drain();
    if (!this.headerSeen) throw new ImportError("empty_file", "the file is empty");
  }

  /** UTF-8 text, as it comes out of the guard. */
  private text(chunk: Buffer) {
    if (chunk.length === 0) return;
    if (this.parser) return this.feed(chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    const delimiter = this.sniffer.feed(chunk);
    if (this.sniffer.columns > this.limits.maxColumns) throw tooManyColumns(this.limits.maxColumns);
    if (delimiter !== undefined) return this.start(delimiter);
    if (this.headBytes > this.limits.maxHeaderBytes) {
      throw new ImportError("line_too_long", `the header row is longer than ${formatBytes(this.limits.maxHeaderBytes)}; shorten the column names`, 1);
    }
  }

  private start(delimiter: Delimiter) {
    const head = Buffer.concat(this.head);
    this.head = [];
    this.parser = new Parser({
      delimiter,
      bom: true,
      // Listed explicitly so a file that mixes line endings still splits on each of them.
      record_delimiter: ["\r\n", "\n", "\r"],
      // A row with the wrong field count is rejected with a reason (parse.ts), not fatal for the file.
      relax_column_count: true,
      // A quote inside an unquoted field (5" display) is a character, as in spreadsheet apps; a quote at the
      // start of a field still opens a quoted field, so quoted delimiters and line breaks keep working.
      relax_quotes: true,
      // Blank lines come through as [""] so they can be counted for line numbers, then skipped.
      skip_empty_lines: false,
      max_record_size: this.limits.maxLineBytes,
    });
    // Errors are read from parser.errored after each write; without a listener the emit would crash the process.
    this.parser.on("error", () => {});
    this.delimiter = delimiter;
    this.feed(head);
  }

  private feed(chunk: Buffer) {
    this.parser!.write(chunk);
    this.drain();
  }

  private drain() {
    const parser = this.parser!;
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      const line = this.nextLine;
      this.nextLine += 1 + lineBreaks(fields);
      if (fields.length === 1 && fields[0] === "") continue;
      if (this.headerSeen) {
        this.on.record(fields, line);
      } else {
        this.headerSeen = true;
        if (fields.length > this.limits.maxColumns) throw tooManyColumns(this.limits.maxColumns);
        this.on.header(headerNames(fields, line), this.delimiter);
      }
    }
    if (parser.errored) throw this.translate(parser.errored);
  }

  private translate(err: Error): ImportError {
    const line = this.nextLine;
    switch ((err as { code?: string }).code) {
      case "CSV_MAX_RECORD_SIZE":
        return this.lineTooLong(isQuoting(this.parser));
      case "CSV_QUOTE_NOT_CLOSED":
        return new ImportError("malformed_csv", `line ${line} opens a quote that is never closed (unbalanced quotes)`, line);
      default:
        return new ImportError("malformed_csv", `line ${line} could not be read: ${err.message}`, line);
    }
  }

  private lineTooLong(quoting: boolean) {
    const line = this.nextLine;
    const hint = quoting ? ", or a quote opened on it is never closed" : "";
    return new ImportError("line_too_long", `line ${line} is longer than ${formatBytes(this.limits.maxLineBytes)}${hint}`, line);
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Picks `,`, `;` or tab by counting them outside quotes in the header line, and counts its columns on the way.
 * Incremental, so a header trickling in byte by byte costs one pass, not one pass per chunk. Quotes follow
 * csv-parse's relax_quotes rules: only a quote at the start of a field opens a quoted field.
 */
class DelimiterSniffer {
  private offset = 0;
  private quoted = false;
  /** Inside quotes, a quote was just read: either the closing one or the first half of an escaped "". */
  private closing = false;
  private fieldStart = true;
  private content = false;
  private comma = 0;
  private semicolon = 0;
  private tab = 0;

  /** The header's columns so far, whichever delimiter is picked (the picked one is always the most frequent). */
  get columns(): number {
    return Math.max(this.comma, this.semicolon, this.tab) + 1;
  }

  /** The delimiter once the header line is complete; undefined while it is not. */
  feed(buf: Uint8Array): Delimiter | undefined {
    for (let i = 0; i < buf.length; i++, this.offset++) {
      const c = buf[i]!;
      // A byte-order mark is not content (byte-guard.ts refuses a broken one as invalid UTF-8).
      if (this.offset < 3 && c === BOM[this.offset]) continue;
      if (this.quoted) {
        if (this.closing) {
          this.closing = false;
          if (c === 0x22) continue; // "" inside quotes
          this.quoted = false; // and c is read as outside quotes, below
        } else {
          if (c === 0x22) this.closing = true;
          continue;
        }
      }
      if (c === 0x0a || c === 0x0d) {
        if (this.content) return this.result();
        continue; // blank lines before the header
      }
      this.content = true;
      if (c === 0x2c || c === 0x3b || c === 0x09) {
        if (c === 0x2c) this.comma++;
        else if (c === 0x3b) this.semicolon++;
        else this.tab++;
        this.fieldStart = true;
        continue;
      }
      if (c === 0x22 && this.fieldStart) this.quoted = true;
      this.fieldStart = false;
    }
    return undefined;
  }

  /** The best guess so far; a header without any delimiter is a single column, read as comma-separated. */
  result(): Delimiter {
    return pick(this.comma, this.semicolon, this.tab);
  }
}

function pick(comma: number, semicolon: number, tab: number): Delimiter {
  if (semicolon > comma && semicolon >= tab) return ";";
  if (tab > comma && tab > semicolon) return "\t";
  return ",";
}

function headerNames(fields: string[], line: number): string[] {
  const names = fields.map((f, i) => f.trim() || `column_${i + 1}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ImportError("duplicate_column", `column "${name}" appears more than once in the header row`, line);
    seen.add(name);
  }
  return names;
}

/** Line breaks inside quoted fields, counted the way an editor numbers lines (CRLF is one). */
function lineBreaks(fields: string[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length > 0 && (f.includes("\n") || f.includes("\r"))) n += f.split(/\r\n|\r|\n/).length - 1;
  }
  return n;
}

function tooManyColumns(max: number) {
  return new ImportError("too_many_columns", `the header row has more than ${max} columns, the most a file may have; remove the columns you do not need`, 1);
}

function isQuoting(parser: Parser | null): boolean {
  // csv-parse exposes its state object for backward compatibility; only used to word a message.
  return (parser as unknown as { state?: { quoting?: boolean } } | null)?.state?.quoting === true;
}
