"use client";
import type { CampaignStatus } from "@prisma/client";
import { useState, useTransition } from "react";
import { changeCampaignStatusAction } from "@/lib/campaigns/actions";
import { allowedActions, type CampaignAction } from "@/lib/campaigns/lifecycle";
import { Button } from "../ui/button";

const LABEL: Record<CampaignAction, string> = { start: "Start", pause: "Pause", resume: "Resume", cancel: "Cancel campaign" };

/** The lifecycle buttons the current status allows (no start or resume while archived); cancelling asks first because it cannot be undone. */
export function CampaignControls({ tenantId, campaignId, status, archived, pendingLeads, onStatus }: { tenantId: string; campaignId: string; status: CampaignStatus; archived: boolean; pendingLeads: number; onStatus: (status: CampaignStatus) => void }) {
  const [pending, startTransition] = useTransition();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const actions = allowedActions(status, { archived });

  function run(action: CampaignAction) {
    setError(null);
    setConfirming(false);
    startTransition(async () => {
      const result = await changeCampaignStatusAction(tenantId, campaignId, action);
      if (result.ok) onStatus(result.data.status);
      else setError(result.message);
    });
  }

  if (actions.length === 0) return null;
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap justify-end gap-2">
        {actions.filter((a) => a !== "cancel").map((a) => (
          <Button key={a} type="button" onClick={() => run(a)} disabled={pending}>
            {LABEL[a]}
          </Button>
        ))}
        {actions.includes("cancel") && (
          <Button type="button" variant="secondary" onClick={() => setConfirming(true)} disabled={pending || confirming}>
            {LABEL.cancel}
          </Button>
        )}
      </div>
      {confirming && (
        <div role="alertdialog" aria-modal="false" aria-labelledby="cancel-title" aria-describedby="cancel-description" className="w-80 rounded-lg border border-rose-200 bg-white p-4 text-sm shadow-lg">
          <p id="cancel-title" className="font-semibold text-slate-900">Cancel this campaign?</p>
          <p id="cancel-description" className="mt-1 text-slate-600">
            {pendingLeads > 0 ? `${pendingLeads.toLocaleString("en-US")} leads not yet called will never be called. ` : ""}Calls in progress finish. This cannot be undone.
          </p>
          <div className="mt-3 flex justify-end gap-2">
            <Button type="button" variant="ghost" onClick={() => setConfirming(false)} autoFocus>Keep campaign</Button>
            <Button type="button" variant="danger" onClick={() => run("cancel")}>Yes, cancel campaign</Button>
          </div>
        </div>
      )}
      {error && <p role="alert" className="max-w-sm text-right text-sm text-rose-600">{error}</p>}
    </div>
  );
}
