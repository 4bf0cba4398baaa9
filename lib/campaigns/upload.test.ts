import { describe, expect, it } from "vitest";
import { readMultipartUpload, UploadError } from "./upload";

const BOUNDARY = "----fairdialTestBoundary7MA4YWxkTrZu0gW";
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function multipart(parts: { name: string; value: string; filename?: string }[], { close = true } = {}) {
  let body = "";
  for (const p of parts) {
    body += `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"\r\nContent-Type: text/csv` : ""}\r\n\r\n${p.value}\r\n`;
  }
  if (close) body += `--${BOUNDARY}--\r\n`;
  return body;
}

/** The body split into chunks of `size` bytes, as a network would deliver it. */
function stream(body: string, size: number): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(body, "utf8");
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(at, at + size)));
      at += size;
    },
  });
}

async function collect(file: AsyncIterable<Buffer>) {
  const chunks: Buffer[] = [];
  for await (const c of file) chunks.push(c);
  return Buffer.concat(chunks).toString("utf8");
}

const CSV = "phone,name\r\n+12125550100,Ada\r\n+12125550101,\"Grace\r\nHopper\"\r\n";

describe("readMultipartUpload", () => {
  it.each([1, 3, 7, 64, 100_000])("reads the fields and streams the file exactly, in %i-byte chunks", async (size) => {
    const body = multipart([
      { name: "name", value: "Spring — ünïcode" },
      { name: "defaultCountry", value: "GB" },
      { name: "nameColumn", value: "" },
      { name: "file", value: CSV, filename: "leads.csv" },
    ]);
    const upload = await readMultipartUpload(stream(body, size), TYPE);
    expect(upload.fields).toEqual({ name: "Spring — ünïcode", defaultCountry: "GB", nameColumn: "" });
    expect(upload.fileName).toBe("leads.csv");
    expect(await collect(upload.file)).toBe(CSV);
  });

  it("keeps a file that contains text resembling the boundary", async () => {
    const tricky = `a,b\r\n--${BOUNDARY.slice(0, 10)},x\r\n\r\n--${BOUNDARY.slice(0, -1)},y\r\n`;
    const upload = await readMultipartUpload(stream(multipart([{ name: "file", value: tricky, filename: "t.csv" }]), 5), TYPE);
    expect(await collect(upload.file)).toBe(tricky);
  });

  it("fails the file stream when the body ends before the file does", async () => {
    const body = multipart([{ name: "file", value: CSV, filename: "leads.csv" }], { close: false }).slice(0, -30);
    const upload = await readMultipartUpload(stream(body, 16), TYPE);
    await expect(collect(upload.file)).rejects.toMatchObject({ code: "upload_incomplete" });
  });

  it("asks for a file when none was chosen", async () => {
    await expect(readMultipartUpload(stream(multipart([{ name: "name", value: "x" }, { name: "file", value: "", filename: "" }]), 8), TYPE)).rejects.toMatchObject({ status: 422, code: "missing_file" });
    await expect(readMultipartUpload(stream(multipart([{ name: "name", value: "x" }]), 8), TYPE)).rejects.toMatchObject({ code: "missing_file" });
  });

  it("refuses a body that is not multipart", async () => {
    await expect(readMultipartUpload(stream("phone\n1", 4), "text/csv")).rejects.toBeInstanceOf(UploadError);
    await expect(readMultipartUpload(null, TYPE)).rejects.toMatchObject({ code: "not_multipart" });
  });

  it("refuses an oversized text field instead of buffering it", async () => {
    const body = multipart([{ name: "name", value: "x".repeat(200_000) }, { name: "file", value: CSV, filename: "a.csv" }]);
    await expect(readMultipartUpload(stream(body, 4096), TYPE)).rejects.toMatchObject({ code: "malformed_upload" });
  });

  it("drains the rest of the body after the consumer stopped early", async () => {
    const big = `phone\r\n${"+12125550100\r\n".repeat(10_000)}`;
    let pulled = 0;
    const source = stream(multipart([{ name: "file", value: big, filename: "big.csv" }]), 1024);
    const counting = source.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({ transform: (c, ctl) => { pulled += c.length; ctl.enqueue(c); } }));
    const upload = await readMultipartUpload(counting, TYPE);
    for await (const chunk of upload.file) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    await upload.drain();
    expect(pulled).toBeGreaterThan(big.length);
  });
});
