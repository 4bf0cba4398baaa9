// Checks an upload chunk by chunk before the CSV parser sees it: the size limit, and that it is text — UTF-8,
// or UTF-16 with a byte-order mark (Excel's "Unicode text"), which is transcoded to UTF-8 on the way through.
// Both happen while streaming, so a 2 GB upload or a renamed .xlsx is refused after its first bytes,
// not after it has been read in full.
import { isUtf8 } from "node:buffer";
import { ImportError } from "./schema";

export const NOT_UTF8 = "file is not UTF-8 text; save it as CSV UTF-8";
export const NOT_UTF16 = "file starts like UTF-16 text but is not valid UTF-16; save it as CSV UTF-8";

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

export class ByteGuard {
  /** Bytes of the file as uploaded (UTF-16 counts as sent, not as transcoded). */
  bytes = 0;
  /** Unknown until the first two bytes are in: only they can hold a UTF-16 byte-order mark. */
  private encoding: Encoding | null = null;
  private utf16: TextDecoder | null = null;
  /** Bytes held back: the first one while the encoding is unknown, or the start of a UTF-8 character cut by the chunk boundary. */
  private carry: Buffer | null = null;

  constructor(private readonly maxBytes: number) {}

  /** The chunk as UTF-8, possibly shorter (a character cut by the boundary comes with the next chunk). */
  push(chunk: Buffer): Buffer {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new ImportError("too_large", `file is larger than ${formatBytes(this.maxBytes)}; split it into smaller files`);
    }
    if (this.encoding === null) {
      const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
      this.carry = null;
      // 0xFF and 0xFE never occur in UTF-8, so any other first byte settles it without waiting.
      if (data.length < 2 && (data[0] === 0xff || data[0] === 0xfe)) {
        this.carry = Buffer.from(data);
        return EMPTY;
      }
      this.encoding = encodingOf(data);
      if (this.encoding !== "utf-8") this.utf16 = new TextDecoder(this.encoding, { fatal: true });
      chunk = data;
    }
    return this.utf16 ? this.fromUtf16(chunk, true) : this.utf8(chunk);
  }

  /** Call at end of input: a file may not end inside a character. Returns what was still held back. */
  end(): Buffer {
    if (this.utf16) return this.fromUtf16(EMPTY, false);
    if (this.encoding === null && this.carry) {
      this.encoding = "utf-8"; // a one-byte file
      return this.utf8(EMPTY, true);
    }
    if (this.carry) throw new ImportError("not_utf8", NOT_UTF8);
    return EMPTY;
  }

  private utf8(chunk: Buffer, last = false): Buffer {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    // NUL is valid UTF-8 but never appears in text: it means a spreadsheet, a zip or UTF-16 without a BOM.
    if (data.indexOf(0) !== -1) throw new ImportError("not_utf8", NOT_UTF8);
    const cut = last ? 0 : incompleteTail(data);
    const whole = cut ? data.subarray(0, data.length - cut) : data;
    if (!isUtf8(whole)) throw new ImportError("not_utf8", NOT_UTF8);
    this.carry = cut ? Buffer.from(data.subarray(data.length - cut)) : null;
    return whole;
  }

  private fromUtf16(chunk: Buffer, stream: boolean): Buffer {
    let text: string;
    try {
      // Streaming keeps an odd byte or half a surrogate pair for the next chunk; the decoder drops the BOM.
      text = this.utf16!.decode(chunk, { stream });
    } catch {
      throw new ImportError("not_utf8", NOT_UTF16);
    }
    if (text.includes("\0")) throw new ImportError("not_utf8", NOT_UTF16);
    return Buffer.from(text, "utf8");
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
}

const EMPTY = Buffer.alloc(0);

function encodingOf(start: Buffer): Encoding {
  if (start[0] === 0xff && start[1] === 0xfe) return "utf-16le";
  if (start[0] === 0xfe && start[1] === 0xff) return "utf-16be";
  return "utf-8";
}

/** How many bytes at the end start a UTF-8 sequence that the buffer does not complete (0–3). */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const byte = buf[buf.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}
