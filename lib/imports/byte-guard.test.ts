import { describe, expect, it } from "vitest";
import { ByteGuard, formatBytes, NOT_UTF16, NOT_UTF8 } from "./byte-guard";
import { ImportError } from "./schema";

/** What the guard hands the parser: UTF-8 text. */
function feed(guard: ByteGuard, bytes: Buffer, size: number): string {
  const out: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(guard.push(bytes.subarray(at, at + size)));
  out.push(guard.end());
  return Buffer.concat(out).toString("utf8");
}

const LE_BOM = Buffer.from([0xff, 0xfe]);
const BE_BOM = Buffer.from([0xfe, 0xff]);

function utf16be(text: string): Buffer {
  return Buffer.from(text, "utf16le").swap16();
}

describe("ByteGuard", () => {
  const text = Buffer.from("phone,name\n+12125550100,Zoë Ünal ✓ 😀\n");

  it.each([1, 2, 3, 5, 64])("passes UTF-8 through unchanged when its characters are split across %i-byte chunks", (size) => {
    expect(feed(new ByteGuard(1000), text, size)).toBe(text.toString("utf8"));
  });

  it.each([1, 2, 3, 5, 64])("transcodes UTF-16LE and UTF-16BE with a BOM to UTF-8, in %i-byte chunks, dropping the BOM", (size) => {
    const tsv = "phone\tname\r\n+12125550100\tZoë Ünal ✓ 😀\r\n";
    expect(feed(new ByteGuard(1000), Buffer.concat([LE_BOM, Buffer.from(tsv, "utf16le")]), size)).toBe(tsv);
    expect(feed(new ByteGuard(1000), Buffer.concat([BE_BOM, utf16be(tsv)]), size)).toBe(tsv);
  });

  it("limits UTF-16 by the bytes uploaded, not by the shorter UTF-8", () => {
    const file = Buffer.concat([LE_BOM, Buffer.from("phone\n+12125550100\n", "utf16le")]);
    expect(() => feed(new ByteGuard(file.length), file, 7)).not.toThrow();
    expect(() => feed(new ByteGuard(file.length - 1), file, 7)).toThrow(expect.objectContaining({ code: "too_large" }));
  });

  it.each([
    ["an odd number of bytes", Buffer.concat([LE_BOM, Buffer.from("phone\n", "utf16le"), Buffer.from([0x41])])],
    ["a lone surrogate", Buffer.concat([LE_BOM, Buffer.from([0x3d, 0xd8, 0x41, 0x00])])],
    ["a NUL character", Buffer.concat([LE_BOM, Buffer.from("a\0b", "utf16le")])],
  ])("refuses UTF-16 with %s", (_, bytes) => {
    expect(() => feed(new ByteGuard(1000), bytes, 3)).toThrow(NOT_UTF16);
  });

  it("reads a one-byte file, and refuses one that is half a BOM", () => {
    expect(feed(new ByteGuard(10), Buffer.from("a"), 1)).toBe("a");
    expect(() => feed(new ByteGuard(10), Buffer.from([0xff]), 1)).toThrow(NOT_UTF8);
  });

  it("refuses invalid UTF-8 (a Latin-1 file)", () => {
    expect(() => feed(new ByteGuard(1000), Buffer.from("name\nMüller\n", "latin1"), 64)).toThrow(NOT_UTF8);
  });

  it("refuses NUL bytes (a spreadsheet, a zip, UTF-16 without a BOM)", () => {
    expect(() => feed(new ByteGuard(1000), Buffer.from("phone\n", "utf16le"), 64)).toThrow(NOT_UTF8);
  });

  it("refuses a file that ends inside a character", () => {
    const cut = Buffer.from("ok 😀").subarray(0, -1);
    expect(() => feed(new ByteGuard(1000), cut, 64)).toThrow(NOT_UTF8);
  });

  it("counts bytes: exactly the limit passes, one more is too_large", () => {
    expect(() => feed(new ByteGuard(text.length), text, 7)).not.toThrow();
    const guard = new ByteGuard(text.length - 1);
    const err = catchError(() => feed(guard, text, 7));
    expect(err).toBeInstanceOf(ImportError);
    expect(err).toMatchObject({ code: "too_large" });
  });

  it("formats limits for messages", () => {
    expect(formatBytes(50 * 1024 * 1024)).toBe("50 MB");
    expect(formatBytes(64 * 1024)).toBe("64 KB");
    expect(formatBytes(1000)).toBe("1000 bytes");
  });
});

function catchError(fn: () => void): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}
