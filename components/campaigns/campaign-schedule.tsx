"use client";
import type { CampaignStatus } from "@prisma/client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { fieldErrorsOf } from "@/lib/actions/result";
import { updateCampaignScheduleAction } from "@/lib/campaigns/actions";
import { scheduleFormSchema, type ScheduleFormFields } from "@/lib/campaigns/schedule-form";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Card } from "../ui/card";
import { FormMessage } from "../ui/field";
import { draftToFields, fieldsToDraft, ScheduleFields, type ScheduleDraft } from "./schedule-fields";

/**
 * The campaign's calling schedule in words, and a form to change it while the campaign is not finished. The page
 * renders the words (describeSchedule) and the stored values as form fields; saving re-renders both.
 */
export function CampaignSchedule({
  tenantId,
  campaignId,
  status,
  description,
  fields,
  zones,
  callingHours,
}: {
  tenantId: string;
  campaignId: string;
  status: CampaignStatus;
  description: string;
  /** The stored schedule as form fields (scheduleToFields). */
  fields: Required<ScheduleFormFields>;
  zones: string[];
  callingHours: string | null;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<ScheduleDraft>(() => fieldsToDraft(fields));
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);
  const [pending, startTransition] = useTransition();
  const finished = status === "COMPLETED" || status === "CANCELLED";

  function open() {
    setDraft(fieldsToDraft(fields));
    setErrors({});
    setMessage(null);
    setEditing(true);
  }

  function save(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = draftToFields(draft);
    const checked = scheduleFormSchema.safeParse(values);
    if (!checked.success) return setErrors(fieldErrorsOf(checked.error));
    setErrors({});
    startTransition(async () => {
      const result = await updateCampaignScheduleAction(tenantId, campaignId, values);
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setMessage({ text: result.message, tone: "error" });
        return;
      }
      setEditing(false);
      setMessage({ text: status === "RUNNING" ? "Schedule saved; the dialer follows it within seconds." : "Schedule saved.", tone: "success" });
      router.refresh();
    });
  }

  return (
    <Card
      title="Calling schedule"
      actions={!finished && !editing ? <Button type="button" variant="secondary" onClick={open}>Change schedule</Button> : undefined}
    >
      <p className="text-sm text-slate-800" data-testid="campaign-schedule">{description}</p>
      {!editing && (
        <p className="mt-1 text-xs text-slate-500">
          {callingHours ? `Platform calling hours for each lead's country also apply (${callingHours}).` : "No platform calling hours are set."}
        </p>
      )}
      {message && !editing && <div className="mt-3"><FormMessage message={message.text} tone={message.tone} /></div>}
      {editing && (
        <form onSubmit={save} className="mt-4 space-y-4 border-t border-slate-200 pt-4" noValidate data-testid="schedule-form">
          <ScheduleFields value={draft} onChange={setDraft} zones={zones} callingHours={callingHours} errors={errors} disabled={pending} />
          {message?.tone === "error" && <FormMessage message={message.text} />}
          <div className="flex gap-2">
            <SubmitButton disabled={pending}>{pending ? "Saving…" : "Save schedule"}</SubmitButton>
            <Button type="button" variant="ghost" onClick={() => setEditing(false)} disabled={pending}>Cancel</Button>
          </div>
        </form>
      )}
    </Card>
  );
}
