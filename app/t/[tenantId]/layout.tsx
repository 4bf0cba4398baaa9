import { notFound } from "next/navigation";
import { AppNav } from "@/components/layout/app-nav";
import { AwaitingApprovalBanner } from "@/components/layout/awaiting-approval-banner";
import { currentUser } from "@/lib/auth/session";
import { getTenant } from "@/lib/tenants/data";

// Signed-out visitors are redirected by each page's requireMember (it knows the path to come back to);
// the layout only refuses, with a 404, anyone who is signed in to another tenant.
export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const user = await currentUser();
  if (!user) return <>{children}</>;
  if (user.tenantId !== tenantId) notFound();
  const tenant = await getTenant(tenantId);
  return (
    <>
      <AppNav tenantId={tenantId} tenantName={user.tenant.name} userName={user.name} isPlatformAdmin={user.isPlatformAdmin} />
      {tenant && tenant.approvedAt === null && <AwaitingApprovalBanner />}
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
