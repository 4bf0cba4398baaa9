import { describe, expect, it } from "vitest";
import { importErrorStatus, importOptionsSchema } from "./schema";

describe("importOptionsSchema", () => {
  it("accepts a name, a country (any case) and an optional mapping", () => {
    expect(importOptionsSchema.parse({ name: " Spring ", defaultCountry: "gb" })).toEqual({ name: "Spring", defaultCountry: "GB", timezone: "UTC" });
    expect(importOptionsSchema.parse({ name: "x", defaultCountry: "US", timezone: "America/Chicago" }).timezone).toBe("America/Chicago");
    expect(importOptionsSchema.parse({ name: "x", defaultCountry: "US", mapping: { phoneColumn: "Mobile" } }).mapping).toEqual({ phoneColumn: "Mobile" });
  });

  it.each([
    [{ name: "", defaultCountry: "US" }, "name"],
    [{ name: "x".repeat(121), defaultCountry: "US" }, "name"],
    [{ name: "x", defaultCountry: "USA" }, "defaultCountry"],
    [{ name: "x", defaultCountry: "XX" }, "defaultCountry"],
    [{ name: "x", defaultCountry: "US", mapping: { phoneColumn: "" } }, "mapping"],
    [{ name: "x", defaultCountry: "US", mapping: { phoneColumn: "a", nameColumn: "a" } }, "mapping"],
    [{ name: "x", defaultCountry: "US", timezone: "Mars/Olympus" }, "timezone"],
    [{ name: "x", defaultCountry: "US", schedule: { days: [1], start: "09:00", end: null, startAt: null, endAt: null } }, "schedule"],
  ])("refuses %j (%s)", (input, field) => {
    const result = importOptionsSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path[0]).toBe(field);
  });
});

describe("importErrorStatus", () => {
  it("maps too_large to 413, the busy and timeout codes to 429, 503 and 408, and the rest to 422", () => {
    expect(importErrorStatus("too_large")).toBe(413);
    expect(importErrorStatus("too_many_imports")).toBe(429);
    expect(importErrorStatus("server_busy")).toBe(503);
    expect(importErrorStatus("upload_timeout")).toBe(408);
    expect(importErrorStatus("no_data_rows")).toBe(422);
    expect(importErrorStatus("too_many_columns")).toBe(422);
  });
});
