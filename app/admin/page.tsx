import Link from "next/link";
import { AdminDashboard } from "@/components/admin/admin-dashboard";
import { AuditLog } from "@/components/admin/audit-log";
import { Card } from "@/components/ui/card";
import { listAudit } from "@/lib/admin/audit";
import { adminSnapshot } from "@/lib/admin/overview";
import { requirePlatformAdmin } from "@/lib/auth/session";

export const metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const admin = await requirePlatformAdmin();
  const [snapshot, audit] = await Promise.all([adminSnapshot(), listAudit(50)]);
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-8">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Platform admin</h1>
        <div className="flex gap-4 text-sm">
          <Link href="/admin/queues" className="text-indigo-600 hover:underline">Queue inspector</Link>
          <Link href="/admin/calling-hours" className="text-indigo-600 hover:underline">Calling hours</Link>
          <Link href="/admin/do-not-call" className="text-indigo-600 hover:underline">Do-not-call list</Link>
          <Link href={`/t/${admin.tenantId}`} className="text-indigo-600 hover:underline">Back to my workspace</Link>
        </div>
      </div>
      <AdminDashboard initial={snapshot} />
      <Card title="Audit log" description="Every change an admin made: a tenant's weight, caps, pause, lane, destinations and approval; calling hours; the platform do-not-call list.">
        <AuditLog entries={audit.map((a) => ({ id: a.id, at: a.createdAt.toISOString(), actor: a.actorEmail, tenant: a.tenantName, action: a.action, before: a.before, after: a.after }))} />
      </Card>
    </main>
  );
}
