"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { setTenantLaneAction, setTenantPausedAction, updateTenantLimitsAction } from "@/lib/admin/actions";
import type { AdminTenantRow } from "@/lib/admin/overview";
import { Button } from "../ui/button";
import { Field, FormMessage } from "../ui/field";

export function TenantControls({ tenant }: { tenant: AdminTenantRow }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  const [pending, start] = useTransition();

  function save(form: FormData) {
    start(async () => {
      const result = await updateTenantLimitsAction(tenant.id, form);
      setErrors(result.ok ? {} : result.fieldErrors ?? {});
      setMessage(result.ok ? { text: "Saved. The scheduler uses the new settings from its next tick.", tone: "success" } : { text: result.message, tone: "error" });
      router.refresh();
    });
  }

  function togglePause() {
    start(async () => {
      const result = await setTenantPausedAction(tenant.id, !tenant.paused);
      setMessage(result.ok ? { text: tenant.paused ? "Resumed." : "Paused: no new calls for this tenant.", tone: "success" } : { text: result.message, tone: "error" });
      router.refresh();
    });
  }

  function toggleLane() {
    start(async () => {
      const result = await setTenantLaneAction(tenant.id, !tenant.dedicatedLane);
      setMessage(
        result.ok
          ? { text: tenant.dedicatedLane ? "Back on the shared queue." : `Dedicated lane on: start callers with --lane ${tenant.id}.`, tone: "success" }
          : { text: result.message, tone: "error" },
      );
      router.refresh();
    });
  }

  return (
    <div className="flex flex-wrap items-end gap-4">
      <form action={save} className="flex flex-wrap items-end gap-3" aria-label={`Limits of ${tenant.name}`}>
        <div className="w-24"><Field label="Weight" name="weight" type="number" min={1} defaultValue={tenant.weight} errors={errors.weight} /></div>
        <div className="w-36"><Field label="Max concurrent" name="maxConcurrent" type="number" min={1} placeholder="unlimited" defaultValue={tenant.maxConcurrent ?? ""} errors={errors.maxConcurrent} /></div>
        <div className="w-32"><Field label="Calls per second" name="maxCps" type="number" min={0.1} step="any" placeholder="unlimited" defaultValue={tenant.maxCps ?? ""} errors={errors.maxCps} /></div>
        <Button type="submit" disabled={pending}>Save limits</Button>
      </form>
      <Button variant={tenant.paused ? "secondary" : "danger"} onClick={togglePause} disabled={pending}>
        {tenant.paused ? "Resume tenant" : "Pause tenant"}
      </Button>
      <Button variant="secondary" onClick={toggleLane} disabled={pending} title="Isolate this tenant on its own queue and callers">
        {tenant.dedicatedLane ? "Use shared queue" : "Dedicated lane"}
      </Button>
      {message && <FormMessage message={message.text} tone={message.tone} />}
    </div>
  );
}
