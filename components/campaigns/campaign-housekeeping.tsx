"use client";
import type { CampaignStatus } from "@prisma/client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { duplicateCampaignAction, setCampaignArchivedAction } from "@/lib/campaigns/actions";
import type { DUPLICATE_LEADS } from "@/lib/campaigns/schema";
import { Button } from "../ui/button";
import { Field } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";

type LeadChoice = (typeof DUPLICATE_LEADS)[number];

const CHOICES: { value: LeadChoice; label: string; hint: string }[] = [
  { value: "all", label: "All leads", hint: "Every lead, as if newly imported" },
  { value: "unfinished", label: "Only unfinished leads", hint: "All but the answered ones: no answer, busy, voicemail, failed, cancelled, do-not-call, not yet called" },
];

/**
 * Duplicate (a new draft, opened next) and archive or unarchive. A running campaign cannot be archived, so the
 * button waits until it is paused, cancelled or completed.
 */
export function CampaignHousekeeping({ tenantId, campaignId, name, status, archived }: { tenantId: string; campaignId: string; name: string; status: CampaignStatus; archived: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [duplicating, setDuplicating] = useState(false);
  const [leads, setLeads] = useState<LeadChoice>("all");
  const [copyName, setCopyName] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string | null>(null);

  function duplicate(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await duplicateCampaignAction(tenantId, campaignId, { leads, name: copyName });
      if (!result.ok) {
        setErrors(result.fieldErrors ?? {});
        setError(result.message);
        return;
      }
      router.push(`/t/${tenantId}/campaigns/${result.data.campaignId}`);
    });
  }

  function setArchived(value: boolean) {
    setError(null);
    startTransition(async () => {
      const result = await setCampaignArchivedAction(tenantId, campaignId, value);
      if (result.ok) router.refresh();
      else setError(result.message);
    });
  }

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        <Button type="button" variant="secondary" onClick={() => setDuplicating(true)} disabled={pending || duplicating}>
          Duplicate
        </Button>
        {archived ? (
          <Button type="button" variant="secondary" onClick={() => setArchived(false)} disabled={pending}>
            Unarchive
          </Button>
        ) : (
          status !== "RUNNING" && (
            <Button type="button" variant="secondary" onClick={() => setArchived(true)} disabled={pending}>
              Archive
            </Button>
          )
        )}
      </div>
      {duplicating && (
        <form onSubmit={duplicate} noValidate aria-labelledby="duplicate-title" className="w-80 space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg">
          <p id="duplicate-title" className="font-semibold text-slate-900">Duplicate this campaign</p>
          <p className="text-slate-600">A new draft with the same settings. Numbers on a do-not-call list today are not called.</p>
          <fieldset className="space-y-2">
            <legend className="font-medium text-slate-700">Leads</legend>
            {CHOICES.map((c) => (
              <label key={c.value} className="flex items-start gap-2">
                <input type="radio" name="leads" value={c.value} checked={leads === c.value} onChange={() => setLeads(c.value)} disabled={pending} className="mt-1" />
                <span>
                  <span className="block text-slate-800">{c.label}</span>
                  <span className="block text-xs text-slate-500">{c.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <Field label="Name (optional)" name="duplicate-name" value={copyName} onChange={(e) => setCopyName(e.target.value)} placeholder={`${name} (copy)`} maxLength={120} errors={errors.name} disabled={pending} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="ghost" onClick={() => setDuplicating(false)} disabled={pending}>Cancel</Button>
            <SubmitButton disabled={pending}>{pending ? "Duplicating…" : "Duplicate campaign"}</SubmitButton>
          </div>
        </form>
      )}
      {error && <p role="alert" className="max-w-sm text-right text-sm text-rose-600">{error}</p>}
    </div>
  );
}
