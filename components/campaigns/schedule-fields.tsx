"use client";
import type { ScheduleFormFields } from "@/lib/campaigns/schedule-form";
import { Field, FieldErrors, SelectField } from "../ui/field";

/** The schedule as the form holds it: strings as the inputs give them, "" for empty. */
export interface ScheduleDraft {
  timezone: string;
  days: number[];
  start: string;
  end: string;
  /** datetime-local values, read in `timezone`. */
  startAt: string;
  endAt: string;
}

const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** The fields the server reads (lib/campaigns/schedule-form.ts), in the form's own names. */
export function draftToFields(d: ScheduleDraft): Required<ScheduleFormFields> {
  return { timezone: d.timezone, scheduleDays: d.days.join(","), scheduleStart: d.start, scheduleEnd: d.end, startAt: d.startAt, endAt: d.endAt };
}

export function fieldsToDraft(f: Required<ScheduleFormFields>): ScheduleDraft {
  return { timezone: f.timezone, days: f.scheduleDays.split(",").filter(Boolean).map(Number), start: f.scheduleStart, end: f.scheduleEnd, startAt: f.startAt, endAt: f.endAt };
}

/**
 * Time zone, calling days, daily hours and the scheduled start and stop, with the platform's hours beside them.
 * Daily hours are each lead's local time; the start and stop are the campaign's zone.
 */
export function ScheduleFields({
  value,
  onChange,
  zones,
  callingHours,
  errors,
  disabled,
}: {
  value: ScheduleDraft;
  onChange: (next: ScheduleDraft) => void;
  zones: string[];
  /** The platform's hours in words (describeCallingHours); null when no country has any. */
  callingHours: string | null;
  errors: Record<string, string[]>;
  disabled?: boolean;
}) {
  const set = (key: "timezone" | "start" | "end" | "startAt" | "endAt") => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => onChange({ ...value, [key]: e.currentTarget.value });
  const toggleDay = (day: number) => onChange({ ...value, days: value.days.includes(day) ? value.days.filter((d) => d !== day) : [...value.days, day].sort((a, b) => a - b) });
  const options = zones.includes(value.timezone) ? zones : [value.timezone, ...zones];

  return (
    <div className="space-y-5">
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField label="Campaign time zone" name="timezone" value={value.timezone} onChange={set("timezone")} errors={errors.timezone} disabled={disabled}>
          {options.map((zone) => (
            <option key={zone} value={zone}>{zone.replaceAll("_", " ")}</option>
          ))}
        </SelectField>
        <p className="self-end pb-2 text-xs text-slate-500">Used for leads whose time zone neither the file nor the phone number tells, and for the scheduled start and stop below.</p>
      </div>

      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Calling days</legend>
        <div className="mt-1.5 flex flex-wrap gap-2">
          {DAY_NAMES.map((name, i) => {
            const day = i + 1;
            const checked = value.days.includes(day);
            return (
              <label key={day} className={`flex cursor-pointer items-center gap-1.5 rounded-md border px-2.5 py-1.5 text-sm ${checked ? "border-indigo-300 bg-indigo-50 text-indigo-900" : "border-slate-300 bg-white text-slate-600"}`}>
                <input type="checkbox" name="scheduleDays" value={day} checked={checked} onChange={() => toggleDay(day)} disabled={disabled} className="accent-indigo-600" />
                <span title={name}>{name.slice(0, 3)}</span>
              </label>
            );
          })}
        </div>
        <FieldErrors errors={errors.scheduleDays} />
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Daily start (optional)" name="scheduleStart" type="time" value={value.start} onChange={set("start")} errors={errors.scheduleStart} disabled={disabled} hint="In each lead's local time." />
        <Field label="Daily end (optional)" name="scheduleEnd" type="time" value={value.end} onChange={set("end")} errors={errors.scheduleEnd} disabled={disabled} hint="Leave both empty to call all day." />
        <Field label="Scheduled start (optional)" name="startAt" type="datetime-local" value={value.startAt} onChange={set("startAt")} errors={errors.startAt} disabled={disabled} hint={`Nothing is dialed before this time (${value.timezone}).`} />
        <Field label="Automatic stop (optional)" name="endAt" type="datetime-local" value={value.endAt} onChange={set("endAt")} errors={errors.endAt} disabled={disabled} hint={`The campaign pauses at this time (${value.timezone}).`} />
      </div>

      <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-xs text-slate-600" data-testid="platform-calling-hours">
        {callingHours ? `Platform calling hours for each lead's country also apply (${callingHours}); the tighter of these and this schedule wins.` : "No platform calling hours are set; only this schedule limits when leads are called."}
      </p>
    </div>
  );
}
