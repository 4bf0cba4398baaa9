"use client";
import { useState } from "react";
import { inviteMemberAction, removeMemberAction, revokeInviteAction } from "@/lib/tenants/actions";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Card } from "../ui/card";
import { Field, FormMessage, SelectField } from "../ui/field";
import { CopyField } from "../ui/copy-field";
import { submitForm } from "../ui/form-submit";

type Member = { id: string; email: string; name: string; role: "OWNER" | "MEMBER"; createdAt: Date };
type Invite = { id: string; email: string; role: "OWNER" | "MEMBER"; expiresAt: Date };

export function MembersPanel({ tenantId, currentUserId, isOwner, members, invites }: { tenantId: string; currentUserId: string; isOwner: boolean; members: Member[]; invites: Invite[] }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [link, setLink] = useState<string | null>(null);

  async function invite(form: FormData) {
    const result = await inviteMemberAction(tenantId, form);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
      return;
    }
    setErrors({});
    setMessage(null);
    setLink(`${window.location.origin}/invite/${result.data.token}`);
    return true;
  }

  async function remove(userId: string) {
    const result = await removeMemberAction(tenantId, userId);
    setMessage(result.ok ? null : result.message);
  }

  return (
    <Card title="Members" description={isOwner ? "Owners manage members and API keys; members can do everything else." : undefined}>
      <table className="w-full text-sm">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr><th className="py-2">Name</th><th>Email</th><th>Role</th><th /></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => (
            <tr key={m.id} data-testid="member-row">
              <td className="py-2">{m.name}</td>
              <td>{m.email}</td>
              <td>{m.role === "OWNER" ? "Owner" : "Member"}</td>
              <td className="text-right">
                {isOwner && m.id !== currentUserId && <Button variant="ghost" onClick={() => remove(m.id)}>Remove</Button>}
              </td>
            </tr>
          ))}
          {invites.map((i) => (
            <tr key={i.id} className="text-slate-500" data-testid="invite-row">
              <td className="py-2 italic">Invited</td>
              <td>{i.email}</td>
              <td>{i.role === "OWNER" ? "Owner" : "Member"}</td>
              <td className="text-right"><Button variant="ghost" onClick={() => revokeInviteAction(tenantId, i.id)}>Revoke</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {isOwner && (
        <form onSubmit={submitForm(invite)} className="mt-5 space-y-3 border-t border-slate-100 pt-4">
          <h3 className="text-sm font-semibold">Invite a member</h3>
          <FormMessage message={message} />
          <div className="grid grid-cols-[1fr_10rem_auto] items-end gap-3">
            <Field label="Email" name="email" type="email" errors={errors.email} />
            <SelectField label="Role" name="role" defaultValue="MEMBER" errors={errors.role}>
              <option value="MEMBER">Member</option>
              <option value="OWNER">Owner</option>
            </SelectField>
            <SubmitButton>Create invite link</SubmitButton>
          </div>
          {link && <CopyField label="Invite link (valid 7 days, one use): send it to your colleague" value={link} testId="invite-link" />}
        </form>
      )}
    </Card>
  );
}
