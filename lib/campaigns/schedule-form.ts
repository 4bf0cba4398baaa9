// The calling schedule as form fields (the upload form, the campaign page's schedule form, a multipart API call):
// flat strings, read into the campaign's time zone and a CampaignScheduleInput that the rules' own schema validates.
// Errors come back under the form's field names. Browser-safe: the forms check with it before sending.
import { z } from "zod";
import { timeZoneSchema } from "../imports/schema";
import { canonicalTimeZone } from "../imports/timezone";
import { campaignScheduleInputSchema, type CampaignScheduleInput } from "../rules/schema";
import { isoToLocalDateTime, localDateTimeToIso } from "./local-datetime";

export const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];
/** What a campaign without a schedule of its own does: every day, all day (the platform's hours still apply). */
export const OPEN_SCHEDULE: CampaignScheduleInput = { days: ALL_DAYS, start: null, end: null, startAt: null, endAt: null };
/** The campaign's zone when the form names none (the import's default). */
const DEFAULT_ZONE = "UTC";

export const scheduleFormFieldsSchema = z.object({
  /** IANA zone: the fallback for leads whose zone is unknown, and the zone startAt/endAt are written in. */
  timezone: z.string().optional(),
  /** ISO weekdays separated by commas, "1,2,3,4,5" (1 = Monday … 7 = Sunday); omitted = every day. */
  scheduleDays: z.string().optional(),
  /** "HH:mm" in each lead's local time; both or neither (all day). */
  scheduleStart: z.string().optional(),
  scheduleEnd: z.string().optional(),
  /** "YYYY-MM-DDTHH:mm" in the campaign's time zone, or ISO 8601 with an offset. */
  startAt: z.string().optional(),
  endAt: z.string().optional(),
});
export type ScheduleFormFields = z.infer<typeof scheduleFormFieldsSchema>;

/** Where each schedule key is shown on a form. */
const FIELD_OF: Record<keyof CampaignScheduleInput, keyof ScheduleFormFields> = {
  days: "scheduleDays",
  start: "scheduleStart",
  end: "scheduleEnd",
  startAt: "startAt",
  endAt: "endAt",
};

export interface ScheduleFormValue {
  timezone?: string;
  /** Undefined when the form has no schedule field at all: the campaign keeps (or gets) the open default. */
  schedule?: CampaignScheduleInput;
}

type Issue = { path: [keyof ScheduleFormFields]; message: string };

/**
 * Reads the fields; `issues` is empty when `value` is valid. An absent or empty time means none (all day, no
 * scheduled start, no automatic stop); an absent day list means every day, an empty one is an error.
 */
export function readScheduleFields(fields: Partial<Record<keyof ScheduleFormFields, unknown>>): { value: ScheduleFormValue; issues: Issue[] } {
  const issues: Issue[] = [];
  const text = (key: keyof ScheduleFormFields) => (typeof fields[key] === "string" ? (fields[key] as string).trim() : undefined);
  let timezone: string | undefined;
  const zoneText = text("timezone");
  if (zoneText !== undefined) {
    const zone = timeZoneSchema.safeParse(zoneText);
    if (zone.success) timezone = canonicalTimeZone(zone.data) ?? zone.data;
    else issues.push(...zone.error.issues.map((i) => ({ path: ["timezone"] as Issue["path"], message: i.message })));
  }
  if ((Object.values(FIELD_OF) as (keyof ScheduleFormFields)[]).every((key) => text(key) === undefined)) return { value: { timezone }, issues };

  const zoneKnown = zoneText === undefined || timezone !== undefined;
  const instant = (key: "startAt" | "endAt") => {
    const value = text(key);
    if (!value) return null;
    const iso = localDateTimeToIso(value, timezone ?? DEFAULT_ZONE);
    // Without a valid zone a local time cannot be placed; the zone's own error says what to fix.
    if (iso === null && zoneKnown) issues.push({ path: [key], message: "Use a date and time such as 2025-12-03T09:00" });
    return iso;
  };
  const draft = {
    days: days(text("scheduleDays"), issues),
    start: text("scheduleStart") || null,
    end: text("scheduleEnd") || null,
    startAt: instant("startAt"),
    endAt: instant("endAt"),
  };
  const parsed = campaignScheduleInputSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) issues.push({ path: [FIELD_OF[issue.path[0] as keyof CampaignScheduleInput] ?? "scheduleDays"], message: issue.message });
    return { value: { timezone }, issues };
  }
  return { value: { timezone, schedule: parsed.data }, issues };
}

/** Adds the schedule fields' issues to a form schema's refinement (see createCampaignFormSchema). */
export function addScheduleIssues(fields: Partial<Record<keyof ScheduleFormFields, unknown>>, ctx: z.RefinementCtx) {
  for (const issue of readScheduleFields(fields).issues) ctx.addIssue({ code: "custom", ...issue });
}

/** The schedule form on its own (the campaign page), parsed into the zone and schedule updateCampaignSchedule takes. */
export const scheduleFormSchema = scheduleFormFieldsSchema.superRefine(addScheduleIssues).transform((fields) => readScheduleFields(fields).value);

/** Form fields showing a stored schedule: the scheduled start and stop on `timezone`'s wall clock. */
export function scheduleToFields(timezone: string, schedule: CampaignScheduleInput): Required<ScheduleFormFields> {
  return {
    timezone,
    scheduleDays: schedule.days.join(","),
    scheduleStart: schedule.start ?? "",
    scheduleEnd: schedule.end ?? "",
    startAt: schedule.startAt ? isoToLocalDateTime(schedule.startAt, timezone) : "",
    endAt: schedule.endAt ? isoToLocalDateTime(schedule.endAt, timezone) : "",
  };
}

function days(value: string | undefined, issues: Issue[]): number[] {
  if (value === undefined) return ALL_DAYS;
  const parts = value.split(/[\s,]+/).filter((p) => p !== "");
  if (parts.some((p) => !/^\d$/.test(p))) {
    issues.push({ path: ["scheduleDays"], message: "Days run from 1 (Monday) to 7 (Sunday)" });
    return ALL_DAYS;
  }
  return parts.map(Number);
}
