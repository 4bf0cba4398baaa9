// The browser's CSV upload as multipart/form-data, read as a stream: the small text fields that come first
// are collected, and the file part is handed on chunk by chunk, so a 50 MB file never sits in memory.
// The upload form appends every field before the file; a field after the file is ignored.
import { ImportError } from "../imports/schema";

export class UploadError extends Error {
  constructor(
    readonly status: 400 | 413 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export interface MultipartUpload {
  fields: Record<string, string>;
  fileName: string;
  /** The file's bytes. Ends with an UploadError if the body stops before the file's closing boundary. */
  file: AsyncIterable<Buffer>;
  /**
   * Reads and drops what is left of the body (up to maxBytes, for at most DRAIN_MS), so an error response sent
   * before the whole file arrived reaches the browser instead of a connection reset. Cancels the body beyond that.
   */
  drain(maxBytes?: number): Promise<void>;
  /** Stops reading the body at once (a client too slow to be waited for), ending a read of the file that is still waiting. */
  cancel(): Promise<void>;
}

const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_FIELDS = 20;
/** A client still sending after an error gets this long to finish before the body is cut off. */
const DRAIN_MS = 15_000;
const CRLF = Buffer.from("\r\n");
const HEADER_END = Buffer.from("\r\n\r\n");

export async function readMultipartUpload(body: ReadableStream<Uint8Array> | null, contentType: string | null, fileField = "file"): Promise<MultipartUpload> {
  const boundary = /^multipart\/form-data\b.*?;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? "");
  if (!body || !boundary) throw new UploadError(400, "not_multipart", "Send the file as multipart/form-data.");
  const reader = new BodyReader(body.getReader());
  // Every boundary but the first is preceded by CRLF; starting with one makes the first look the same.
  const delimiter = Buffer.from(`\r\n--${boundary[1] ?? boundary[2]}`);
  reader.unshift(CRLF);
  await reader.readUntil(delimiter, MAX_HEADER_BYTES, "the body does not start with a multipart boundary");
  const fields: Record<string, string> = {};
  for (let parts = 0; parts <= MAX_FIELDS; parts++) {
    const after = await reader.readBytes(2);
    if (after.equals(Buffer.from("--"))) break; // closing boundary: no file in the form
    if (!after.equals(CRLF)) throw malformed("a boundary is not followed by a line break");
    const headers = (await reader.readUntil(HEADER_END, MAX_HEADER_BYTES, "a part's headers do not end")).toString("utf8");
    const { name, filename } = disposition(headers);
    if (filename !== undefined && name === fileField) {
      if (filename === "") break; // the browser sends an empty, nameless part when no file was chosen
      return { fields, fileName: filename, file: reader.streamUntil(delimiter), drain: (max) => reader.drain(max), cancel: () => reader.cancel() };
    }
    const value = await reader.readUntil(delimiter, MAX_FIELD_BYTES, "a form field is too long");
    if (name !== undefined && filename === undefined) fields[name] = value.toString("utf8");
  }
  await reader.drain();
  throw new UploadError(422, "missing_file", "Choose a CSV file to upload.");
}

/**
 * After a failed import: a client still sending the file would see a connection reset instead of the error, so
 * let it finish first — unless it is the client too slow to wait for, whose body is cut off at once.
 */
export async function finishUpload(upload: MultipartUpload | undefined, err: unknown, signal: AbortSignal | undefined, maxBytes: number): Promise<void> {
  if (!upload || signal?.aborted) return;
  if (err instanceof ImportError && err.code === "upload_timeout") return upload.cancel();
  await upload.drain(maxBytes);
}

class BodyReader {
  private buf: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(private readonly source: ReadableStreamDefaultReader<Uint8Array>) {}

  unshift(bytes: Buffer) {
    this.buf = Buffer.concat([bytes, this.buf]);
  }

  /** The bytes before `marker`, consuming the marker; at most `limit` bytes are held while looking. */
  async readUntil(marker: Buffer, limit: number, tooLong: string): Promise<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(marker);
      if (at !== -1) {
        const out = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + marker.length);
        return out;
      }
      if (this.buf.length > limit + marker.length) throw malformed(tooLong);
      if (!(await this.more())) throw truncated();
    }
  }

  async readBytes(n: number): Promise<Buffer> {
    while (this.buf.length < n) if (!(await this.more())) throw truncated();
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Yields everything before `marker` as it arrives, holding back only a possible partial marker. */
  async *streamUntil(marker: Buffer): AsyncGenerator<Buffer> {
    for (;;) {
      const at = this.buf.indexOf(marker);
      if (at !== -1) {
        const out = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + marker.length);
        if (out.length > 0) yield out;
        return;
      }
      const safe = this.buf.length - (marker.length - 1);
      if (safe > 0) {
        const out = this.buf.subarray(0, safe);
        this.buf = this.buf.subarray(safe);
        yield out;
      }
      if (!(await this.more())) throw truncated();
    }
  }

  async drain(maxBytes = 64 * 1024 * 1024): Promise<void> {
    this.buf = Buffer.alloc(0);
    let read = 0;
    // A slow client must not keep the request (and its error response) waiting: cut off after DRAIN_MS.
    const timer = setTimeout(() => void this.cancel(), DRAIN_MS);
    try {
      while (!this.ended && read <= maxBytes) {
        const { done, value } = await this.source.read();
        if (done) this.ended = true;
        else read += value.byteLength;
      }
      if (!this.ended) await this.cancel();
    } catch {
      // The client went away; nothing left to drain.
    } finally {
      clearTimeout(timer);
    }
  }

  async cancel(): Promise<void> {
    this.ended = true;
    // A read still waiting for the client resolves as done; streamUntil then reports the upload incomplete.
    await this.source.cancel().catch(() => {});
  }

  private async more(): Promise<boolean> {
    if (this.ended) return false;
    const { done, value } = await this.source.read();
    if (done) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return true;
  }
}

function disposition(headers: string): { name?: string; filename?: string } {
  const line = headers.split("\r\n").find((h) => /^content-disposition:/i.test(h)) ?? "";
  const param = (key: string) => new RegExp(`;\\s*${key}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(line)?.[1]?.replace(/\\(.)/g, "$1");
  return { name: param("name"), filename: param("filename") };
}

function malformed(detail: string) {
  return new UploadError(400, "malformed_upload", `The upload could not be read: ${detail}.`);
}

function truncated() {
  return new UploadError(400, "upload_incomplete", "The upload ended before the whole file arrived. Try again.");
}
