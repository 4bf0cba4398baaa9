import { AccountSecurityPanel } from "@/components/settings/account-security-panel";
import { ApiKeysPanel } from "@/components/settings/api-keys-panel";
import { MembersPanel } from "@/components/settings/members-panel";
import { SettingsNav } from "@/components/settings/settings-nav";
import { TenantNameForm } from "@/components/settings/tenant-name-form";
import { Card } from "@/components/ui/card";
import { listApiKeys } from "@/lib/api-keys/data";
import { requireMember } from "@/lib/auth/session";
import { listMembers, listOpenInvites } from "@/lib/tenants/data";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ tenantId: string }> }) {
  const { tenantId } = await params;
  const user = await requireMember(tenantId, `/t/${tenantId}/settings`);
  const isOwner = user.role === "OWNER";
  const [members, invites, keys] = await Promise.all([
    listMembers(tenantId),
    isOwner ? listOpenInvites(tenantId) : Promise.resolve([]),
    isOwner ? listApiKeys(tenantId) : Promise.resolve([]),
  ]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsNav tenantId={tenantId} active="general" />
      <Card title="Organisation">
        <TenantNameForm tenantId={tenantId} name={user.tenant.name} canEdit={isOwner} />
      </Card>
      <MembersPanel tenantId={tenantId} currentUserId={user.id} isOwner={isOwner} members={members} invites={invites} />
      {isOwner ? (
        <ApiKeysPanel tenantId={tenantId} keys={keys} />
      ) : (
        <Card title="API keys" description="Only owners can create and revoke API keys." >
          <p className="text-sm text-slate-500">Ask an owner of {user.tenant.name} for a key.</p>
        </Card>
      )}
      <AccountSecurityPanel />
    </div>
  );
}
