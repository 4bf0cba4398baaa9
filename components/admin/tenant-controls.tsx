"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setTenantLaneAction, setTenantPausedAction, updateTenantDestinationsAction, updateTenantLimitsAction } from "@/lib/admin/actions";
import type { AdminTenantRow } from "@/lib/admin/overview";
import type { ActionResult } from "@/lib/actions/result";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage } from "../ui/field";
import { submitForm } from "../ui/form-submit";

export function TenantControls({ tenant, platformCountries }: { tenant: AdminTenantRow; platformCountries: readonly string[] }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  const [pending, start] = useTransition();

  function run(action: () => Promise<ActionResult>, success: string) {
    start(async () => {
      const result = await action();
      setErrors(result.ok ? {} : result.fieldErrors ?? {});
      setMessage(result.ok ? { text: success, tone: "success" } : { text: result.message, tone: "error" });
      router.refresh();
    });
  }

  const saveLimits = (form: FormData) => run(() => updateTenantLimitsAction(tenant.id, form), "Saved. The scheduler uses the new settings from its next tick.");
  const saveDestinations = (form: FormData) => run(() => updateTenantDestinationsAction(tenant.id, form), "Saved. Callers apply it from the next call, including leads already imported.");
  const togglePause = () => run(() => setTenantPausedAction(tenant.id, !tenant.paused), tenant.paused ? "Resumed." : "Paused: no new calls for this tenant.");
  const toggleLane = () =>
    run(() => setTenantLaneAction(tenant.id, !tenant.dedicatedLane), tenant.dedicatedLane ? "Back on the shared queue." : `Dedicated lane on: start callers with --lane ${tenant.id}.`);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-4">
        <form onSubmit={submitForm(saveLimits)} className="flex flex-wrap items-end gap-3" aria-label={`Limits of ${tenant.name}`}>
          <div className="w-24"><Field label="Weight" name="weight" type="number" min={1} defaultValue={tenant.weight} errors={errors.weight} /></div>
          <div className="w-36"><Field label="Max concurrent" name="maxConcurrent" type="number" min={1} placeholder="unlimited" defaultValue={tenant.maxConcurrent ?? ""} errors={errors.maxConcurrent} /></div>
          <div className="w-32"><Field label="Calls per second" name="maxCps" type="number" min={0.1} step="any" placeholder="unlimited" defaultValue={tenant.maxCps ?? ""} errors={errors.maxCps} /></div>
          <SubmitButton disabled={pending}>Save limits</SubmitButton>
        </form>
        <Button variant={tenant.paused ? "secondary" : "danger"} onClick={togglePause} disabled={pending}>
          {tenant.paused ? "Resume tenant" : "Pause tenant"}
        </Button>
        <Button variant="secondary" onClick={toggleLane} disabled={pending} title="Isolate this tenant on its own queue and callers">
          {tenant.dedicatedLane ? "Use shared queue" : "Dedicated lane"}
        </Button>
      </div>
      <form onSubmit={submitForm(saveDestinations)} className="flex flex-wrap items-end gap-3" aria-label={`Destinations of ${tenant.name}`}>
        <div className="w-72">
          <Field
            label="Allowed countries"
            name="allowedCountries"
            placeholder={`platform default: ${platformCountries.join(", ")}`}
            defaultValue={tenant.allowedCountries.join(", ")}
            hint="ISO codes, comma-separated; empty = the platform default"
            errors={errors.allowedCountries}
          />
        </div>
        <label className="flex items-center gap-1.5 pb-2 text-sm text-slate-700">
          <input type="checkbox" name="allowPremiumNumbers" defaultChecked={tenant.allowPremiumNumbers} />
          Allow premium-rate and shared-cost numbers
        </label>
        <SubmitButton disabled={pending}>Save destinations</SubmitButton>
      </form>
      {message && <FormMessage message={message.text} tone={message.tone} />}
    </div>
  );
}
