import { notFound } from "next/navigation";
import { CampaignLive } from "@/components/campaigns/campaign-live";
import { CampaignSchedule } from "@/components/campaigns/campaign-schedule";
import { LeadTable } from "@/components/campaigns/lead-table";
import { timeZoneOptions } from "@/components/campaigns/time-zone-options";
import { UnservedLaneBanner } from "@/components/layout/unserved-lane-banner";
import { requireMember } from "@/lib/auth/session";
import { getCampaign, listLeads, platformCallingHours } from "@/lib/campaigns/data";
import { campaignProgress } from "@/lib/campaigns/progress";
import { scheduleToFields } from "@/lib/campaigns/schedule-form";
import { describeCallingHours, describeSchedule } from "@/lib/campaigns/schedule-words";
import { leadsQuerySchema } from "@/lib/campaigns/schema";
import { NotFoundError } from "@/lib/errors";
import { laneUnserved } from "@/lib/tenants/lane-status";
import { leadWaits } from "@/lib/campaigns/window-state";

export const metadata = { title: "Campaign" };

type Props = { params: Promise<{ tenantId: string; campaignId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function CampaignPage({ params, searchParams }: Props) {
  const { tenantId, campaignId } = await params;
  await requireMember(tenantId, `/t/${tenantId}/campaigns/${campaignId}`);
  const sp = await searchParams;
  // A hand-edited query string falls back to the first page of all leads rather than an error page.
  const parsed = leadsQuerySchema.safeParse({ status: one(sp.status), cursor: one(sp.cursor), limit: 25 });
  const query = parsed.success ? parsed.data : leadsQuerySchema.parse({ limit: 25 });
  const [campaign, progress, page, unserved, hours] = await Promise.all([
    getCampaign(tenantId, campaignId),
    campaignProgress(tenantId, campaignId),
    listLeads(tenantId, campaignId, query),
    laneUnserved(tenantId),
    platformCallingHours(),
  ]).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  const renderedAt = new Date();
  const waits = await leadWaits(tenantId, campaignId, page.leads, renderedAt);
  const startAt = campaign.startAt?.toISOString() ?? null;
  const endAt = campaign.endAt?.toISOString() ?? null;
  const schedule = { days: campaign.scheduleDays, start: campaign.scheduleStart, end: campaign.scheduleEnd, startAt, endAt };
  return (
    <>
      {unserved && (
        <div className="mb-6">
          <UnservedLaneBanner />
        </div>
      )}
      <CampaignLive
        tenantId={tenantId}
        campaign={{
          id: campaign.id,
          name: campaign.name,
          createdAt: campaign.createdAt.toISOString(),
          rejectedCount: campaign.rejectedCount,
          duplicateCount: campaign.duplicateCount,
          timezone: campaign.timezone,
          startAt,
          endAt,
          archivedAt: campaign.archivedAt?.toISOString() ?? null,
        }}
        initial={progress}
        renderedAt={renderedAt.getTime()}
        schedule={
          <CampaignSchedule
            tenantId={tenantId}
            campaignId={campaignId}
            status={campaign.status}
            description={describeSchedule({ timezone: campaign.timezone, ...schedule }, renderedAt)}
            fields={scheduleToFields(campaign.timezone, schedule)}
            zones={timeZoneOptions()}
            callingHours={describeCallingHours(hours)}
          />
        }
      >
        <LeadTable basePath={`/t/${tenantId}/campaigns/${campaignId}`} leads={page.leads} status={query.status} cursor={query.cursor} nextCursor={page.nextCursor} waits={Object.fromEntries(waits)} />
      </CampaignLive>
    </>
  );
}

function one(v: string | string[] | undefined) {
  return Array.isArray(v) ? v[0] : v;
}
