import { AcceptInviteForm } from "@/components/auth/accept-invite-form";
import { AuthCard } from "@/components/auth/auth-card";
import { findOpenInvite } from "@/lib/tenants/data";

export const metadata = { title: "Join a workspace" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findOpenInvite(token);
  if (!invite) {
    return (
      <AuthCard title="This invite link is not valid">
        <p className="text-sm text-slate-600">It may have expired or been used already. Ask the workspace owner for a new link.</p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={`Join ${invite.tenant.name}`} subtitle={`You were invited as ${invite.role === "OWNER" ? "an owner" : "a member"}.`}>
      <AcceptInviteForm token={token} email={invite.email} />
    </AuthCard>
  );
}
