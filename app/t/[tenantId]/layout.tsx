import { notFound } from "next/navigation";
import { AppNav } from "@/components/layout/app-nav";
import { currentUser } from "@/lib/auth/session";

// Signed-out visitors are redirected by each page's requireMember (it knows the path to come back to);
// the layout only refuses, with a 404, anyone who is signed in to another tenant.
export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const user = await currentUser();
  if (!user) return <>{children}</>;
  if (user.tenantId !== tenantId) notFound();
  return (
    <>
      <AppNav tenantId={tenantId} tenantName={user.tenant.name} userName={user.name} isPlatformAdmin={user.isPlatformAdmin} />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </>
  );
}
