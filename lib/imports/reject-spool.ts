// Rejected rows wait here while the Lead COPY streams: one connection runs one COPY at a time, and the
// transaction must hold both. Kept in memory while small, spilled to a temp file past SPILL_BYTES, so a
// file of a million bad rows costs disk, not RAM.
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

const SPILL_BYTES = 4 * 1024 * 1024;

export class RejectSpool {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private dir: string | null = null;
  private file: FileHandle | null = null;

  get empty(): boolean {
    return this.bytes === 0 && this.file === null;
  }

  async append(text: string): Promise<void> {
    if (text === "") return;
    // As bytes: text built with += is a rope of many small strings, several times its length in memory.
    const bytes = Buffer.from(text);
    this.chunks.push(bytes);
    this.bytes += bytes.length;
    if (this.bytes >= SPILL_BYTES) await this.spill();
  }

  /** Everything appended, in order; call once, after the last append. */
  async read(): Promise<Readable> {
    if (!this.file) return Readable.from(this.chunks);
    await this.spill();
    await this.file.close();
    this.file = null;
    return createReadStream(path.join(this.dir!, "rejected.copy"));
  }

  async dispose(): Promise<void> {
    await this.file?.close().catch(() => {});
    if (this.dir) await fs.rm(this.dir, { recursive: true, force: true });
    this.chunks = [];
  }

  private async spill() {
    if (!this.file) {
      this.dir = await fs.mkdtemp(path.join(os.tmpdir(), "fairdial-import-"));
      this.file = await fs.open(path.join(this.dir, "rejected.copy"), "w");
    }
    if (this.chunks.length) await this.file.write(Buffer.concat(this.chunks));
    this.chunks = [];
    this.bytes = 0;
  }
}
