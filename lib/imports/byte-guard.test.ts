import { describe, expect, it } from "vitest";
import { ByteGuard, formatBytes, NOT_UTF8 } from "./byte-guard";
import { ImportError } from "./schema";

function feed(guard: ByteGuard, bytes: Buffer, size: number) {
  for (let at = 0; at < bytes.length; at += size) guard.check(bytes.subarray(at, at + size));
  guard.end();
}

describe("ByteGuard", () => {
  const text = Buffer.from("phone,name\n+12125550100,Zoë Ünal ✓ 😀\n");

  it.each([1, 2, 3, 5, 64])("accepts UTF-8 whose characters are split across %i-byte chunks", (size) => {
    expect(() => feed(new ByteGuard(1000), text, size)).not.toThrow();
  });

  it("refuses invalid UTF-8 (a Latin-1 file)", () => {
    expect(() => feed(new ByteGuard(1000), Buffer.from("name\nMüller\n", "latin1"), 64)).toThrow(NOT_UTF8);
  });

  it("refuses NUL bytes (a spreadsheet, a zip, UTF-16)", () => {
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
