// Checks an upload chunk by chunk before the CSV parser sees it: the size limit, and that it is UTF-8 text.
// Both happen while streaming, so a 2 GB upload or a renamed .xlsx is refused after its first bytes,
// not after it has been read in full.
import { isUtf8 } from "node:buffer";
import { ImportError } from "./schema";

export const NOT_UTF8 = "file is not UTF-8 text; save it as CSV UTF-8";

export class ByteGuard {
  bytes = 0;
  /** Start of a multi-byte character cut by the chunk boundary; validated with the next chunk. */
  private carry: Buffer | null = null;

  constructor(private readonly maxBytes: number) {}

  check(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      throw new ImportError("too_large", `file is larger than ${formatBytes(this.maxBytes)}; split it into smaller files`);
    }
    // NUL is valid UTF-8 but never appears in text: it means a spreadsheet, a zip or UTF-16.
    if (chunk.indexOf(0) !== -1) throw new ImportError("not_utf8", NOT_UTF8);
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(data);
    if (!isUtf8(cut ? data.subarray(0, data.length - cut) : data)) throw new ImportError("not_utf8", NOT_UTF8);
    this.carry = cut ? Buffer.from(data.subarray(data.length - cut)) : null;
  }

  /** Call at end of input: a file may not end inside a character. */
  end(): void {
    if (this.carry) throw new ImportError("not_utf8", NOT_UTF8);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`;
  return `${n} bytes`;
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
