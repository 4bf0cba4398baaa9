import { z } from "zod";

// Browser-safe shapes for calling windows, shared by the settings forms, their actions and the REST API.
// Times are local wall-clock "HH:mm"; an end may be "24:00" (midnight at the end of the day) but a start may not.

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

export const daysSchema = z
  .array(z.number().int().min(1, "Days run from 1 (Monday) to 7 (Sunday)").max(7, "Days run from 1 (Monday) to 7 (Sunday)"))
  .min(1, "Pick at least one day")
  .refine((days) => new Set(days).size === days.length, "Each day may appear only once");

export const startTimeSchema = z.string().regex(START, 'Use a 24-hour time such as "08:00"');
export const endTimeSchema = z.string().regex(END, 'Use a 24-hour time such as "21:00" (or "24:00" for midnight)');

/** One opening interval: `days` are ISO weekdays, `end` is exclusive and later than `start` on the same day. */
export const intervalSchema = z
  .object({ days: daysSchema, start: startTimeSchema, end: endTimeSchema })
  .refine((interval) => interval.start < interval.end, { message: "The end must be later than the start", path: ["end"] });
export type IntervalInput = z.infer<typeof intervalSchema>;

/** A campaign's calling schedule as a form or the API sends it; the instants are ISO 8601 with an offset or Z. */
export const campaignScheduleInputSchema = z
  .object({
    days: daysSchema,
    start: startTimeSchema.nullable(),
    end: endTimeSchema.nullable(),
    startAt: z.iso.datetime({ offset: true }).nullable(),
    endAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .superRefine((schedule, ctx) => {
    if ((schedule.start === null) !== (schedule.end === null)) {
      ctx.addIssue({ code: "custom", message: "Give both a start and an end time, or neither for all day", path: [schedule.start === null ? "start" : "end"] });
    } else if (schedule.start !== null && schedule.end !== null && schedule.start >= schedule.end) {
      // "HH:mm" strings compare in time order; overnight windows are two intervals, not one that wraps.
      ctx.addIssue({ code: "custom", message: "The end time must be later than the start time", path: ["end"] });
    }
    if (schedule.startAt !== null && schedule.endAt !== null && Date.parse(schedule.endAt) <= Date.parse(schedule.startAt)) {
      ctx.addIssue({ code: "custom", message: "The automatic stop must be later than the scheduled start", path: ["endAt"] });
    }
  });
export type CampaignScheduleInput = z.infer<typeof campaignScheduleInputSchema>;
