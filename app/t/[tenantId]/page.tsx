import Link from "next/link";
import { ArchivedCampaignList } from "@/components/dashboard/archived-campaign-list";
import { DashboardLive } from "@/components/dashboard/dashboard-live";
import { Card } from "@/components/ui/card";
import { UnservedLaneBanner } from "@/components/layout/unserved-lane-banner";
import { requireMember } from "@/lib/auth/session";
import { listCampaigns } from "@/lib/campaigns/data";
import { tenantProgress } from "@/lib/campaigns/progress";
import { laneUnserved } from "@/lib/tenants/lane-status";

export const metadata = { title: "Dashboard" };

type Props = { params: Promise<{ tenantId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function TenantDashboard({ params, searchParams }: Props) {
  const { tenantId } = await params;
  const user = await requireMember(tenantId);
  // ?archived=1 lists the archived campaigns under the others ("Show archived (N)").
  const showArchived = (await searchParams).archived === "1";
  const [progress, unserved, archived] = await Promise.all([tenantProgress(tenantId), laneUnserved(tenantId), showArchived ? listCampaigns(tenantId, { archived: true }) : null]);
  return (
    <div className="space-y-6">
      {unserved && <UnservedLaneBanner />}
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">{user.tenant.name}</h1>
        <Link href={`/t/${tenantId}/campaigns/new`} className="inline-flex rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          New campaign
        </Link>
      </div>
      <DashboardLive tenantId={tenantId} initial={progress} showingArchived={archived !== null} />
      {archived && (
        <Card title="Archived campaigns" description="Not in the list above; each still opens and exports.">
          <ArchivedCampaignList
            tenantId={tenantId}
            campaigns={archived.map((c) => ({ id: c.id, name: c.name, status: c.status, totalLeads: c.totalLeads, createdAt: c.createdAt.toISOString(), archivedAt: c.archivedAt!.toISOString() }))}
          />
        </Card>
      )}
    </div>
  );
}
