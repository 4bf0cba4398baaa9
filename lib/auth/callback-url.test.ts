import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

const ORIGIN = "https://app.fairdial.test";

describe("safeCallbackPath", () => {
  it("keeps same-origin paths with their query and fragment", () => {
    expect(safeCallbackPath("/t/abc/settings", ORIGIN)).toBe("/t/abc/settings");
    expect(safeCallbackPath("/t/abc?tab=leads#top", ORIGIN)).toBe("/t/abc?tab=leads#top");
    expect(safeCallbackPath(`${ORIGIN}/admin`, ORIGIN)).toBe("/admin");
    expect(safeCallbackPath(ORIGIN, ORIGIN)).toBe("/");
  });

  it.each([
    ["protocol-relative", "//evil.example"],
    ["protocol-relative with path", "//evil.example/dashboard"],
    ["backslash", "/\\evil.example"],
    ["double backslash", "\\\\evil.example"],
    ["mixed slashes", "\\/evil.example"],
    ["tab inside the slashes", "/\t/evil.example"],
    ["newline inside the slashes", "/\n/evil.example"],
    ["leading control character", "\u0000//evil.example"],
    ["delete character", "/\u007f/evil.example"],
    ["another origin", "https://evil.example/dashboard"],
    ["same host, other scheme", "http://app.fairdial.test/dashboard"],
    ["same host, other port", "https://app.fairdial.test:8443/dashboard"],
    ["look-alike host", "https://app.fairdial.test.evil.example/"],
    ["credentials in the URL", "https://user:pw@app.fairdial.test/dashboard"],
    ["javascript scheme", "javascript:alert(document.cookie)"],
    ["javascript scheme, mixed case", "JaVaScRiPt:alert(1)"],
    ["data scheme", "data:text/html,<script>alert(1)</script>"],
    ["bare host", "evil.example"],
    ["normalises to protocol-relative", "/.//evil.example"],
    ["dot segments to protocol-relative", "/a/..//evil.example"],
    ["empty", ""],
    ["not a string", ["/t/abc"]],
  ])("refuses %s", (_label, raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe("/dashboard");
  });
});
