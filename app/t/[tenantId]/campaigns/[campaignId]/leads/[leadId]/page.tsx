import Link from "next/link";
import { notFound } from "next/navigation";
import { AttemptTimeline } from "@/components/campaigns/attempt-timeline";
import { formatCallLength } from "@/components/campaigns/format";
import { LEAD_STATUS_VIEW, OUTCOME_LABEL } from "@/components/campaigns/lead-status";
import { serializeAttempt } from "@/lib/attempts/attempt-json";
import { getLeadWithAttempts } from "@/lib/attempts/data";
import { requireMember } from "@/lib/auth/session";
import { getCampaign } from "@/lib/campaigns/data";
import { NotFoundError } from "@/lib/errors";

export const metadata = { title: "Lead" };

type Props = { params: Promise<{ tenantId: string; campaignId: string; leadId: string }> };

export default async function LeadPage({ params }: Props) {
  const { tenantId, campaignId, leadId } = await params;
  const campaignPath = `/t/${tenantId}/campaigns/${campaignId}`;
  await requireMember(tenantId, `${campaignPath}/leads/${leadId}`);
  const [campaign, { lead, attempts }] = await Promise.all([getCampaign(tenantId, campaignId), getLeadWithAttempts(tenantId, campaignId, leadId)]).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const view = LEAD_STATUS_VIEW[lead.status];
  return (
    <div className="space-y-6">
      <div>
        <Link href={`${campaignPath}#leads`} className="text-sm text-indigo-600 hover:underline">← {campaign.name}</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="font-mono text-2xl font-semibold">{lead.phone}</h1>
          <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${view.tone}`} data-testid="lead-status">{view.label}</span>
        </div>
        <p className="mt-1 flex flex-wrap gap-x-3 text-sm text-slate-500">
          {lead.name && <span>{lead.name}</span>}
          <span>Line {lead.line} of the file</span>
          <span>{lead.attempts} {lead.attempts === 1 ? "attempt" : "attempts"}</span>
          {lead.lastOutcome && <span>Last outcome: {OUTCOME_LABEL[lead.lastOutcome]}{lead.lastDurationSec !== null ? ` (${formatCallLength(lead.lastDurationSec)})` : ""}</span>}
        </p>
        {lead.suppressedReason && <p className="mt-1 text-sm text-slate-500">{lead.suppressedReason}</p>}
        {lead.holdReason && <p className="mt-1 text-sm text-slate-500">{lead.holdReason}</p>}
      </div>
      <AttemptTimeline attempts={attempts.map(serializeAttempt)} />
    </div>
  );
}
