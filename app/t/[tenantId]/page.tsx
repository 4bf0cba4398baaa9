import Link from "next/link";
import { DashboardLive } from "@/components/dashboard/dashboard-live";
import { UnservedLaneBanner } from "@/components/layout/unserved-lane-banner";
import { requireMember } from "@/lib/auth/session";
import { tenantProgress } from "@/lib/campaigns/progress";
import { laneUnserved } from "@/lib/tenants/lane-status";

export const metadata = { title: "Dashboard" };

export default async function TenantDashboard({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const user = await requireMember(tenantId);
  const [progress, unserved] = await Promise.all([tenantProgress(tenantId), laneUnserved(tenantId)]);
  return (
    <div className="space-y-6">
      {unserved && <UnservedLaneBanner />}
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-semibold">{user.tenant.name}</h1>
        <Link href={`/t/${tenantId}/campaigns/new`} className="inline-flex rounded-md bg-indigo-600 px-3.5 py-2 text-sm font-medium text-white hover:bg-indigo-500">
          New campaign
        </Link>
      </div>
      <DashboardLive tenantId={tenantId} initial={progress} />
    </div>
  );
}
