import { describe, expect, it } from "vitest";
import { parseWindowKey, resolveLeadZones, windowKey, zonesForNumber } from "./phone-zones";

describe("zonesForNumber", () => {
  it.each([
    ["+13125551234", ["America/Chicago"]],
    ["+12125551234", ["America/New_York"]],
    ["+18085551234", ["Pacific/Honolulu"]],
    ["+16055551234", ["America/Denver", "America/North_Dakota/Center"]],
    ["+33142685300", ["Europe/Paris"]],
    ["+79161234567", ["Europe/Moscow"]],
  ])("places %s in %j", (e164, zones) => {
    expect(zonesForNumber(e164)).toEqual(zones);
  });

  it("accepts the digits without a plus", () => {
    expect(zonesForNumber("13125551234")).toEqual(["America/Chicago"]);
  });

  it("cannot place a number whose only match is a multi-zone country code", () => {
    // 555 is no area code, so only "1" (all 42 NANP zones) matches.
    expect(zonesForNumber("+15555551234")).toBeNull();
  });

  it("keeps a multi-zone answer that is more than the country code", () => {
    // "77" (Kazakhstan inside +7) is a real prefix, not the bare calling code "7".
    expect(zonesForNumber("+77012345678")).toEqual(["Asia/Almaty", "Asia/Aqtobe"]);
  });

  it.each(["", "+", "+1 312 555 1234", "tel:+13125551234", "+9991234567"])("has no zones for %j", (input) => {
    expect(zonesForNumber(input)).toBeNull();
  });

  it("returns a fresh array each time", () => {
    const first = zonesForNumber("+16055551234");
    first?.push("Europe/London");
    expect(zonesForNumber("+16055551234")).toEqual(["America/Denver", "America/North_Dakota/Center"]);
  });
});

describe("resolveLeadZones", () => {
  it("prefers a valid zone from the file, canonically spelled, over the number", () => {
    expect(resolveLeadZones({ fileZone: " america/chicago ", e164: "+12125551234", campaignZone: "Europe/Paris" })).toEqual({
      zones: ["America/Chicago"],
      source: "FILE",
    });
  });

  it.each([null, "", "   ", "Mars/Base", "EST5EDT-ish"])("falls back to the number when the file zone is %j", (fileZone) => {
    expect(resolveLeadZones({ fileZone, e164: "+12125551234", campaignZone: "Europe/Paris" })).toEqual({ zones: ["America/New_York"], source: "PHONE" });
  });

  it("falls back to the campaign's zone when the number cannot be placed", () => {
    expect(resolveLeadZones({ fileZone: null, e164: "+15555551234", campaignZone: "America/Los_Angeles" })).toEqual({
      zones: ["America/Los_Angeles"],
      source: "CAMPAIGN",
    });
  });

  it("keeps every zone of a multi-zone area code", () => {
    expect(resolveLeadZones({ fileZone: null, e164: "+16055551234", campaignZone: "UTC" }).zones).toEqual(["America/Denver", "America/North_Dakota/Center"]);
  });
});

describe("windowKey", () => {
  it("sorts and de-duplicates the zones", () => {
    expect(windowKey("US", ["America/North_Dakota/Center", "America/Denver", "America/Denver"])).toBe("US|America/Denver,America/North_Dakota/Center");
  });

  it("round-trips through parseWindowKey", () => {
    const zones = ["America/Denver", "America/North_Dakota/Center"];
    expect(parseWindowKey(windowKey("US", zones))).toEqual({ country: "US", zones });
    expect(parseWindowKey(windowKey("FR", ["Europe/Paris"]))).toEqual({ country: "FR", zones: ["Europe/Paris"] });
    expect(parseWindowKey(windowKey("US", []))).toEqual({ country: "US", zones: [] });
  });

  it("parses the legacy empty key to no country and no zones", () => {
    expect(parseWindowKey("")).toEqual({ country: "", zones: [] });
  });
});
