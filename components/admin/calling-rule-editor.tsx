"use client";
import { useState, useTransition } from "react";
import { setCallingRuleAction } from "@/lib/admin/actions";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Field, FieldErrors, FormMessage } from "../ui/field";
import { submitForm } from "../ui/form-submit";
import { WEEKDAYS, type IntervalView } from "./format-intervals";

const NEW_INTERVAL: IntervalView = { days: [1, 2, 3, 4, 5], start: "09:00", end: "20:00" };

/** Edits one country's intervals; `country` null = a new country, typed in. Saving replaces the country's rule. */
export function CallingRuleEditor({ country, initial, onDone }: { country: string | null; initial: IntervalView[]; onDone: () => void }) {
  const [intervals, setIntervals] = useState<IntervalView[]>(initial.length ? initial : [NEW_INTERVAL]);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const change = (at: number, patch: Partial<IntervalView>) => setIntervals((all) => all.map((i, n) => (n === at ? { ...i, ...patch } : i)));
  const toggleDay = (at: number, day: number) =>
    setIntervals((all) => all.map((i, n) => (n === at ? { ...i, days: i.days.includes(day) ? i.days.filter((d) => d !== day) : [...i.days, day].sort((a, b) => a - b) } : i)));

  const save = (form: FormData) =>
    start(async () => {
      const result = await setCallingRuleAction(form);
      if (result.ok) return onDone();
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
    });

  return (
    <form onSubmit={submitForm(save)} className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-4" aria-label={country ? `Calling hours of ${country}` : "Calling hours of a new country"}>
      {country ? (
        <input type="hidden" name="country" value={country} />
      ) : (
        <div className="w-40"><Field label="Country (ISO code)" name="country" placeholder="e.g. AU" maxLength={2} errors={errors.country} /></div>
      )}
      <input type="hidden" name="intervals" value={JSON.stringify(intervals)} />
      {intervals.map((interval, at) => (
        <fieldset key={at} className="flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3" data-testid="interval-row">
          <legend className="sr-only">Interval {at + 1}</legend>
          <div className="text-sm">
            <span className="font-medium text-slate-700">Days</span>
            <div className="mt-1 flex gap-2">
              {WEEKDAYS.map((label, d) => (
                <label key={label} className="flex items-center gap-1 text-slate-700">
                  <input type="checkbox" checked={interval.days.includes(d + 1)} onChange={() => toggleDay(at, d + 1)} />
                  {label}
                </label>
              ))}
            </div>
            <FieldErrors errors={errors[`intervals.${at}.days`]} />
          </div>
          <div className="w-24">
            <Field label="From" name={`start-${at}`} value={interval.start} onChange={(e) => change(at, { start: e.currentTarget.value })} placeholder="08:00" errors={errors[`intervals.${at}.start`]} />
          </div>
          <div className="w-24">
            <Field label="Until" name={`end-${at}`} value={interval.end} onChange={(e) => change(at, { end: e.currentTarget.value })} placeholder="21:00" errors={errors[`intervals.${at}.end`]} />
          </div>
          <Button type="button" variant="ghost" onClick={() => setIntervals((all) => all.filter((_, n) => n !== at))}>Remove interval</Button>
        </fieldset>
      ))}
      <FieldErrors errors={errors.intervals} />
      <p className="text-xs text-slate-500">Local time of the person called, 24-hour &quot;HH:mm&quot;; the end is exclusive and may be 24:00. Calls are allowed only inside these intervals.</p>
      {message && <FormMessage message={message} />}
      <div className="flex gap-2">
        <Button type="button" variant="secondary" onClick={() => setIntervals((all) => [...all, NEW_INTERVAL])}>Add interval</Button>
        <SubmitButton disabled={pending}>Save</SubmitButton>
        <Button type="button" variant="ghost" onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
