import Link from "next/link";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/session";

export const metadata = { title: "Dashboard" };

export default async function TenantDashboard({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const user = await requireMember(tenantId);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">{user.tenant.name}</h1>
      <Card title="Campaigns">
        <p className="text-sm text-slate-500">No campaigns yet. <Link className="text-indigo-600 hover:underline" href={`/t/${tenantId}/campaigns/new`}>Upload a CSV of leads</Link> to start one.</p>
      </Card>
    </div>
  );
}
