import { Card } from "@/components/ui/card";
import { AdminTenantsTable } from "@/components/admin/tenants-table";
import { listTenantsForAdmin } from "@/lib/admin/data";
import { requirePlatformAdmin } from "@/lib/auth/session";
import Link from "next/link";

export const metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

export default async function AdminPage() {
  const admin = await requirePlatformAdmin();
  const tenants = await listTenantsForAdmin();
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-8">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Platform admin</h1>
        <Link href={`/t/${admin.tenantId}`} className="text-sm text-indigo-600 hover:underline">Back to my workspace</Link>
      </div>
      <Card title="Tenants">
        <AdminTenantsTable tenants={tenants.map((t) => ({ id: t.id, name: t.name, members: t._count.users, createdAt: t.createdAt.toISOString() }))} />
      </Card>
    </main>
  );
}
