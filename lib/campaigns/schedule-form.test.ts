import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "../actions/result";
import { createCampaignFormSchema } from "./create";
import { readScheduleFields, scheduleFormSchema, scheduleToFields } from "./schedule-form";

const errorsOf = (fields: Record<string, string>) => {
  const result = scheduleFormSchema.safeParse(fields);
  return result.success ? {} : fieldErrorsOf(result.error);
};

describe("the schedule form fields", () => {
  it("read into the campaign's zone and a schedule, start and stop placed in that zone", () => {
    const parsed = scheduleFormSchema.parse({ timezone: "America/Chicago", scheduleDays: "1,2,3,4,5", scheduleStart: "09:00", scheduleEnd: "17:00", startAt: "2026-12-03T09:00", endAt: "2026-12-18T17:00" });
    expect(parsed).toEqual({
      timezone: "America/Chicago",
      schedule: { days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00", startAt: "2026-12-03T15:00:00.000Z", endAt: "2026-12-18T23:00:00.000Z" },
    });
  });

  it("treat empty times as none and an absent day list as every day, and spell the zone canonically", () => {
    expect(scheduleFormSchema.parse({ timezone: " europe/paris ", scheduleStart: "", scheduleEnd: "", startAt: "", endAt: "" })).toEqual({
      timezone: "Europe/Paris",
      schedule: { days: [1, 2, 3, 4, 5, 6, 7], start: null, end: null, startAt: null, endAt: null },
    });
    // No schedule field at all: no schedule (the campaign keeps its own, or gets the open default).
    expect(scheduleFormSchema.parse({ timezone: "UTC" })).toEqual({ timezone: "UTC" });
    expect(scheduleFormSchema.parse({})).toEqual({});
  });

  it("give every field's error under the form's own field names", () => {
    expect(errorsOf({ timezone: "Mars/Olympus", scheduleDays: "", scheduleStart: "9am", scheduleEnd: "", startAt: "", endAt: "" })).toEqual({
      timezone: ["Not a time zone; use an IANA name such as America/Chicago"],
      scheduleDays: ["Pick at least one day"],
      scheduleStart: ['Use a 24-hour time such as "08:00"'],
      scheduleEnd: ["Give both a start and an end time, or neither for all day"],
    });
    expect(errorsOf({ timezone: "UTC", scheduleDays: "1,8", scheduleStart: "17:00", scheduleEnd: "09:00", startAt: "soon", endAt: "" })).toEqual({
      scheduleDays: ["Days run from 1 (Monday) to 7 (Sunday)"],
      scheduleEnd: ["The end time must be later than the start time"],
      startAt: ["Use a date and time such as 2025-12-03T09:00"],
    });
    expect(errorsOf({ scheduleDays: "1,1", scheduleStart: "09:00" })).toEqual({
      scheduleDays: ["Each day may appear only once"],
      scheduleEnd: ["Give both a start and an end time, or neither for all day"],
    });
    expect(errorsOf({ scheduleDays: "Mon" })).toEqual({ scheduleDays: ["Days run from 1 (Monday) to 7 (Sunday)"] });
  });

  it("compare the start and stop as instants: a stop before the start is refused", () => {
    expect(errorsOf({ timezone: "America/Chicago", startAt: "2026-12-03T09:00", endAt: "2026-12-03T08:59" })).toEqual({ endAt: ["The automatic stop must be later than the scheduled start"] });
    // 01:30 repeats on 1 Nov 2026 in Chicago; both read as the first one, so they are equal, not in order.
    expect(errorsOf({ timezone: "America/Chicago", startAt: "2026-11-01T01:30", endAt: "2026-11-01T01:30" })).toHaveProperty("endAt");
  });

  it("show a stored schedule again as the fields it was entered with", () => {
    const fields = { timezone: "America/Chicago", scheduleDays: "1,3,5", scheduleStart: "08:30", scheduleEnd: "24:00", startAt: "2026-03-08T03:00", endAt: "" };
    const { value } = readScheduleFields(fields);
    expect(scheduleToFields(value.timezone!, value.schedule!)).toEqual(fields);
  });
});

describe("createCampaignFormSchema", () => {
  it("turns the upload form's fields into import options with the zone and schedule", () => {
    const options = createCampaignFormSchema.parse({ name: "Spring", defaultCountry: "us", phoneColumn: "Phone", timezone: "America/New_York", scheduleDays: "6,7", startAt: "2026-12-05T10:00" });
    expect(options).toEqual({
      name: "Spring",
      defaultCountry: "US",
      mapping: { phoneColumn: "Phone", nameColumn: undefined, timezoneColumn: undefined },
      timezone: "America/New_York",
      schedule: { days: [6, 7], start: null, end: null, startAt: "2026-12-05T15:00:00.000Z", endAt: null },
    });
    expect(createCampaignFormSchema.parse({ name: "Plain" })).toEqual({ name: "Plain", defaultCountry: "US", mapping: undefined });
  });

  it("reports the other fields' errors and the schedule's together", () => {
    const result = createCampaignFormSchema.safeParse({ name: "", nameColumn: "Who", timezone: "Nowhere", scheduleEnd: "17:00" });
    expect(result.success).toBe(false);
    expect(Object.keys(fieldErrorsOf(result.error!)).sort()).toEqual(["name", "phoneColumn", "scheduleStart", "timezone"]);
  });
});
