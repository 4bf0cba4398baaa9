"use client";
import Link from "next/link";
import { useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { ALL_EVENTS, WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { CopyField } from "../ui/copy-field";
import { Field, FieldErrors, FormMessage } from "../ui/field";
import { submitForm } from "../ui/form-submit";
import { SubmitButton } from "../ui/submit-button";

type Current = { url: string; description: string; events: string[] };

/**
 * Adds an endpoint (its signing secret is shown once, right here, with where to go next), or with `current`
 * changes an existing one's URL, description and events.
 */
export function EndpointForm({ tenantId, action, current }: { tenantId: string; action: (form: FormData) => Promise<ActionResult<{ endpointId: string; secret: string } | undefined>>; current?: Current }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  const [created, setCreated] = useState<{ endpointId: string; secret: string } | null>(null);
  const [all, setAll] = useState(current ? current.events.includes(ALL_EVENTS) : true);

  async function submit(form: FormData) {
    const result = await action(form);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setMessage(result.fieldErrors ? null : { text: result.message, tone: "error" });
      return;
    }
    setErrors({});
    if (current) {
      setMessage({ text: "Saved.", tone: "success" });
      return;
    }
    setMessage(null);
    setCreated(result.data ?? null);
    setAll(true);
    return true;
  }

  return (
    <form onSubmit={submitForm(submit)} className="space-y-4" aria-label={current ? "Edit the endpoint" : "Add an endpoint"}>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Endpoint URL" name="url" type="url" placeholder="https://crm.example.com/fairdial-events" autoComplete="off" defaultValue={current?.url} errors={errors.url} />
        <Field label="Description (optional)" name="description" placeholder="e.g. CRM sync" defaultValue={current?.description} errors={errors.description} />
      </div>
      <fieldset className="text-sm">
        <legend className="font-medium text-slate-700">Events</legend>
        <label className="mt-2 flex items-center gap-2">
          <input type="checkbox" name="events" value={ALL_EVENTS} checked={all} onChange={(e) => setAll(e.target.checked)} />
          <span>All events, including types added later</span>
        </label>
        {!all && (
          <div className="mt-2 grid gap-1 sm:grid-cols-2">
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="flex items-start gap-2" title={WEBHOOK_EVENTS[type]}>
                <input type="checkbox" name="events" value={type} className="mt-1" defaultChecked={current?.events.includes(type)} />
                <span>
                  <code>{type}</code> <span className="text-slate-500">— {WEBHOOK_EVENTS[type]}</span>
                </span>
              </label>
            ))}
          </div>
        )}
        <FieldErrors errors={errors.events} />
      </fieldset>
      <SubmitButton>{current ? "Save changes" : "Add endpoint"}</SubmitButton>
      {message && <FormMessage message={message.text} tone={message.tone} />}
      {created && (
        <div className="space-y-2 rounded-md border border-emerald-200 bg-emerald-50 p-3" data-testid="endpoint-created">
          <CopyField label="Signing secret. It is shown only once: store it with your receiver now." value={created.secret} testId="endpoint-secret" />
          <p className="text-sm text-slate-600">
            Check the <code>Fairdial-Signature</code> header of every request with it (see the README&apos;s Webhooks section).{" "}
            <Link className="text-indigo-700 underline" href={`/t/${tenantId}/settings/webhooks/${created.endpointId}`}>Open the endpoint&apos;s delivery log</Link>
          </p>
        </div>
      )}
    </form>
  );
}
