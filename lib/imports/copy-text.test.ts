import { describe, expect, it } from "vitest";
import { copyJson, copyNullable, copyText } from "./copy-text";

describe("COPY text format", () => {
  it("escapes backslash, tab, newline and carriage return", () => {
    expect(copyText("plain")).toBe("plain");
    expect(copyText("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(copyText("\\N")).toBe("\\\\N");
  });

  it("writes NULL as \\N, and an empty string as empty", () => {
    expect(copyNullable(null)).toBe("\\N");
    expect(copyNullable("")).toBe("");
  });

  it("writes JSON with its backslashes doubled and no raw control characters", () => {
    const field = copyJson({ note: 'line\none\t"quoted"', path: "C:\\temp" });
    expect(field).not.toMatch(/[\t\n\r]/);
    // What Postgres reads back after un-escaping the COPY field.
    expect(JSON.parse(field.replaceAll("\\\\", "\\"))).toEqual({ note: 'line\none\t"quoted"', path: "C:\\temp" });
  });
});
