"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { FrequencyCaps, RulePreset } from "@/lib/rules/presets";
import { MAX_CALLS_PER_WINDOW } from "@/lib/tenants/schema";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage } from "../ui/field";
import { submitForm } from "../ui/form-submit";

export type CapsPreset = Pick<RulePreset, "id" | "label" | "source" | "caps">;

/**
 * The tenant's two frequency caps, and presets that fill them in and save. `action` omitted: the viewer may
 * only read them (members; owners change them, as they hold the API keys that can).
 */
export function FrequencyCapsForm({ caps, presets, action }: { caps: FrequencyCaps; presets: readonly CapsPreset[]; action?: (form: FormData) => Promise<ActionResult<FrequencyCaps>> }) {
  const router = useRouter();
  const [values, setValues] = useState({ per24h: text(caps.per24h), per30d: text(caps.per30d) });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  const [pending, start] = useTransition();

  function save(form: FormData, done: (saved: FrequencyCaps) => string) {
    if (!action) return;
    start(async () => {
      const result = await action(form);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setMessage(result.fieldErrors ? null : { text: result.message, tone: "error" });
        return;
      }
      setErrors({});
      setValues({ per24h: text(result.data.per24h), per30d: text(result.data.per30d) });
      setMessage({ text: done(result.data), tone: "success" });
      router.refresh();
    });
  }

  function apply(preset: CapsPreset) {
    const form = new FormData();
    form.set("per24h", text(preset.caps.per24h));
    form.set("per30d", text(preset.caps.per30d));
    save(form, (saved) => `Applied "${preset.label}": ${capsInWords(saved)}.`);
  }

  const hint = `1–${MAX_CALLS_PER_WINDOW}; empty = no limit`;
  return (
    <div className="space-y-6">
      <p className="text-sm text-slate-700" data-testid="caps-summary">
        Now: {capsInWords(caps)}.
      </p>
      <form onSubmit={submitForm((form) => save(form, (saved) => `Saved: ${capsInWords(saved)}.`))} className="space-y-3" aria-label="Frequency caps">
        <div className="grid max-w-2xl items-start gap-3 sm:grid-cols-[1fr_1fr_auto]">
          {(["per24h", "per30d"] as const).map((name) => (
            <Field
              key={name}
              label={name === "per24h" ? "Calls per number in 24 hours" : "Calls per number in 30 days"}
              name={name}
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_CALLS_PER_WINDOW}
              step={1}
              placeholder="No limit"
              value={values[name]}
              onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
              disabled={!action}
              hint={hint}
              errors={errors[name]}
            />
          ))}
          {action && <SubmitButton className="sm:mt-6" disabled={pending}>Save caps</SubmitButton>}
        </div>
        {message && <FormMessage message={message.text} tone={message.tone} />}
        {!action && <p className="text-sm text-slate-500">Only owners can change the caps.</p>}
      </form>
      <div>
        <h3 className="text-sm font-semibold">Presets</h3>
        <p className="mb-2 text-xs text-slate-500">A preset sets both caps. The calling hours it names are the platform&apos;s to set (below); applying it does not change them.</p>
        <ul className="divide-y divide-slate-100 text-sm">
          {presets.map((p) => (
            <li key={p.id} className="flex items-center justify-between gap-4 py-2" data-testid="caps-preset">
              <div>
                <p className="font-medium">{p.label}</p>
                <p className="text-xs text-slate-500">
                  Sets: {capsInWords(p.caps)}. Source: {p.source}
                </p>
              </div>
              {action && <Button variant="secondary" disabled={pending} onClick={() => apply(p)} aria-label={`Apply preset: ${p.label}`}>Apply</Button>}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** "at most 3 calls to one number in 24 hours and 10 in 30 days", or "no limit on …" when both are off. */
export function capsInWords({ per24h, per30d }: FrequencyCaps): string {
  const calls = (n: number) => `${n} ${n === 1 ? "call" : "calls"}`;
  if (per24h === null && per30d === null) return "no limit on how often one number is called";
  if (per30d === null) return `at most ${calls(per24h!)} to one number in 24 hours`;
  if (per24h === null) return `at most ${calls(per30d)} to one number in 30 days`;
  return `at most ${calls(per24h)} to one number in 24 hours and ${per30d} in 30 days`;
}

function text(n: number | null) {
  return n === null ? "" : String(n);
}
