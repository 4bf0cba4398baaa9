"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { applyCallingRulePresetAction, deleteCallingRuleAction } from "@/lib/admin/actions";
import type { ActionResult } from "@/lib/actions/result";
import type { RulePreset } from "@/lib/rules/presets";
import { Button } from "../ui/button";
import { FormMessage } from "../ui/field";
import { CallingRuleEditor } from "./calling-rule-editor";
import { formatIntervals, type IntervalView } from "./format-intervals";

type Rule = { country: string; intervals: IntervalView[]; updatedAt: string };

const NEW = "+new";

export function CallingHours({ rules, presets }: { rules: Rule[]; presets: readonly RulePreset[] }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  const [pending, start] = useTransition();
  const names = new Intl.DisplayNames(["en"], { type: "region" });
  const countryName = (code: string) => {
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };

  function run(action: () => Promise<ActionResult<unknown>>, success: string) {
    start(async () => {
      const result = await action();
      setMessage(result.ok ? { text: success, tone: "success" } : { text: result.message, tone: "error" });
      router.refresh();
    });
  }

  const done = (country: string | null) => () => {
    setEditing(null);
    setMessage({ text: `Saved${country ? ` for ${country}` : ""}. The scheduler applies it within seconds, also to leads imported before.`, tone: "success" });
    router.refresh();
  };

  const remove = (country: string) => {
    if (!window.confirm(`Remove the calling hours of ${country}? Its leads are then bound by their campaign's schedule only.`)) return;
    run(() => deleteCallingRuleAction(country), `Removed: ${country} has no platform calling hours now.`);
  };

  const apply = (preset: RulePreset) => {
    const current = rules.find((r) => r.country === preset.country);
    const replaces = current ? ` This replaces ${preset.country}'s hours (${formatIntervals(current.intervals)}).` : "";
    if (!window.confirm(`Apply "${preset.label}" to ${preset.country}?${replaces}`)) return;
    run(() => applyCallingRulePresetAction(preset.id), `Applied "${preset.label}" to ${preset.country}.`);
  };

  return (
    <div className="space-y-6">
      {message && <FormMessage message={message.text} tone={message.tone} />}
      <table className="w-full text-sm" data-testid="calling-rules">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr><th className="py-2">Country</th><th>Calls allowed (local time)</th><th>Updated (UTC)</th><th /></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rules.map((r) =>
            editing === r.country ? (
              <tr key={r.country}><td colSpan={4} className="py-2"><CallingRuleEditor country={r.country} initial={r.intervals} onDone={done(r.country)} /></td></tr>
            ) : (
              <tr key={r.country} data-testid="calling-rule-row">
                <td className="py-2 font-medium">{r.country} <span className="font-normal text-slate-500">{countryName(r.country)}</span></td>
                <td>{formatIntervals(r.intervals)}</td>
                <td className="whitespace-nowrap">{r.updatedAt.slice(0, 16).replace("T", " ")}</td>
                <td className="whitespace-nowrap text-right">
                  <Button variant="ghost" disabled={pending} onClick={() => setEditing(r.country)}>Edit</Button>
                  <Button variant="ghost" disabled={pending} onClick={() => remove(r.country)}>Remove</Button>
                </td>
              </tr>
            ),
          )}
          {rules.length === 0 && <tr><td colSpan={4} className="py-3 text-slate-500">No country has platform calling hours: campaigns&apos; own schedules apply alone.</td></tr>}
        </tbody>
      </table>
      {editing === NEW ? (
        <CallingRuleEditor country={null} initial={[]} onDone={done(null)} />
      ) : (
        <Button variant="secondary" onClick={() => setEditing(NEW)}>Add a country</Button>
      )}
      <div>
        <h3 className="mb-2 text-sm font-semibold">Presets</h3>
        <ul className="divide-y divide-slate-100 text-sm">
          {presets.map((p) => (
            <li key={p.id} className="flex items-center justify-between gap-4 py-2" data-testid="rule-preset">
              <div>
                <p className="font-medium">{p.label}</p>
                <p className="text-xs text-slate-500">
                  {p.country}: {formatIntervals(p.intervals)} · {p.source}
                  {(p.caps.per24h !== null || p.caps.per30d !== null) && " · the call-frequency cap is not part of the calling hours and is not applied here"}
                </p>
              </div>
              <Button variant="secondary" disabled={pending} onClick={() => apply(p)}>Apply to {p.country}</Button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
