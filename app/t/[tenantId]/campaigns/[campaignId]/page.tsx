import { notFound } from "next/navigation";
import { CampaignLive } from "@/components/campaigns/campaign-live";
import { LeadTable } from "@/components/campaigns/lead-table";
import { UnservedLaneBanner } from "@/components/layout/unserved-lane-banner";
import { requireMember } from "@/lib/auth/session";
import { getCampaign, listLeads } from "@/lib/campaigns/data";
import { campaignProgress } from "@/lib/campaigns/progress";
import { leadsQuerySchema } from "@/lib/campaigns/schema";
import { NotFoundError } from "@/lib/errors";
import { laneUnserved } from "@/lib/tenants/lane-status";

export const metadata = { title: "Campaign" };

type Props = { params: Promise<{ tenantId: string; campaignId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CampaignPage({ params, searchParams }: Props) {
  const { tenantId, campaignId } = await params;
  await requireMember(tenantId, `/t/${tenantId}/campaigns/${campaignId}`);
  const sp = await searchParams;
  // A hand-edited query string falls back to the first page of all leads rather than an error page.
  const parsed = leadsQuerySchema.safeParse({ status: one(sp.status), cursor: one(sp.cursor), limit: 25 });
  const query = parsed.success ? parsed.data : leadsQuerySchema.parse({ limit: 25 });
  const [campaign, progress, page, unserved] = await Promise.all([getCampaign(tenantId, campaignId), campaignProgress(tenantId, campaignId), listLeads(tenantId, campaignId, query), laneUnserved(tenantId)]).catch(
    (err: unknown) => {
      if (err instanceof NotFoundError) notFound();
      throw err;
    },
  );
  return (
    <>
      {unserved && (
        <div className="mb-6">
          <UnservedLaneBanner />
        </div>
      )}
      <CampaignLive
        tenantId={tenantId}
        campaign={{ id: campaign.id, name: campaign.name, createdAt: campaign.createdAt.toISOString(), rejectedCount: campaign.rejectedCount, duplicateCount: campaign.duplicateCount }}
        initial={progress}
      >
        <LeadTable basePath={`/t/${tenantId}/campaigns/${campaignId}`} leads={page.leads} status={query.status} cursor={query.cursor} nextCursor={page.nextCursor} />
      </CampaignLive>
    </>
  );
}

function one(v: string | string[] | undefined) {
  return Array.isArray(v) ? v[0] : v;
}
