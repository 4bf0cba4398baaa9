"use client";
import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { changePasswordAction, signOutEverywhereAction } from "@/lib/tenants/actions";
import { changePasswordSchema } from "@/lib/tenants/schema";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Card } from "../ui/card";
import { Field, FormMessage } from "../ui/field";
import { useZodForm } from "../ui/use-zod-form";

// Both actions end every session of the user, this browser's included; the sign-in page then says why.
export function AccountSecurityPanel() {
  const router = useRouter();
  const { errors, setErrors, validate } = useZodForm(changePasswordSchema);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function leaveFor(notice: string) {
    await signOut({ redirect: false });
    router.push(`/signin?notice=${notice}`);
    router.refresh();
  }

  async function onChangePassword(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (!validate(form)) return;
    setPending(true);
    setMessage(null);
    const result = await changePasswordAction(form);
    if (!result.ok) {
      setPending(false);
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
      return;
    }
    await leaveFor("password-changed");
  }

  async function onSignOutEverywhere() {
    setPending(true);
    const result = await signOutEverywhereAction();
    if (!result.ok) {
      setPending(false);
      setMessage(result.message);
      return;
    }
    await leaveFor("signed-out-everywhere");
  }

  return (
    <Card title="Your account" description="Changing your password signs you out on every device, this one included.">
      <form onSubmit={onChangePassword} className="max-w-lg space-y-4" noValidate>
        <FormMessage message={message} />
        <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" errors={errors.currentPassword} required />
        <Field label="New password" name="newPassword" type="password" autoComplete="new-password" errors={errors.newPassword} hint="At least 10 characters" required />
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton disabled={pending}>Change password</SubmitButton>
          <Button type="button" variant="secondary" disabled={pending} onClick={onSignOutEverywhere}>Sign out everywhere</Button>
        </div>
      </form>
    </Card>
  );
}
