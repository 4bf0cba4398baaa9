import { describe, expect, it } from "vitest";
import { normalisePhone } from "./phone";

describe("normalisePhone", () => {
  it.each([
    ["+12125550100", "+12125550100"],
    ["(212) 555-0100", "+12125550100"],
    ["212.555.0100", "+12125550100"],
    ["1 212 555 0100", "+12125550100"],
    ["  212-555-0100  ", "+12125550100"],
    ["+44 20 7946 0958", "+442079460958"],
    ["011 44 20 7946 0958", "+442079460958"],
  ])("normalises %j to %s with US as the default country", (input, e164) => {
    expect(normalisePhone(input, "US")).toMatchObject({ ok: true, e164 });
  });

  it("uses the default country for numbers without a country code", () => {
    expect(normalisePhone("020 7946 0958", "GB")).toMatchObject({ ok: true, e164: "+442079460958" });
    expect(normalisePhone("030 901820", "DE")).toMatchObject({ ok: true, e164: "+4930901820" });
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["123", "too short"],
    ["555-1234", "too short"],
    ["1234567890123456789", "too long"],
    ["abc", "not a phone number"],
    ["=1+2", "not a phone number"],
    ["+999 123456", "unknown country calling code"],
    ["(555) 123-4567", "not a valid phone number for US"],
    ["+1 555 123 4567", "not a valid phone number for +1"],
  ])("refuses %j: %s", (input, reason) => {
    expect(normalisePhone(input, "US")).toEqual({ ok: false, reason });
  });

  it("names the default country in the reason", () => {
    expect(normalisePhone("0000000000", "GB")).toEqual({ ok: false, reason: "not a valid phone number for GB" });
  });

  it("refuses a number with an extension rather than dialling the main line", () => {
    expect(normalisePhone("212 555 0100 ext 7", "US")).toEqual({ ok: false, reason: "has an extension (7), which cannot be dialled" });
  });
});
