"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { acceptInviteAction } from "@/lib/tenants/actions";
import { acceptInviteSchema } from "@/lib/tenants/schema";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage } from "../ui/field";
import { useZodForm } from "../ui/use-zod-form";

export function AcceptInviteForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const { errors, setErrors, validate } = useZodForm(acceptInviteSchema);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (!validate(form)) return;
    setPending(true);
    const result = await acceptInviteAction(token, form);
    if (!result.ok) {
      setPending(false);
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
      return;
    }
    await signIn("credentials", { email, password: form.get("password"), redirect: false });
    router.push("/dashboard");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage message={message} />
      <Field label="Email" name="email-display" value={email} readOnly disabled />
      <Field label="Your name" name="name" autoComplete="name" errors={errors.name} required />
      <Field label="Choose a password" name="password" type="password" autoComplete="new-password" errors={errors.password} hint="At least 10 characters" required />
      <SubmitButton disabled={pending} className="w-full">
        {pending ? "Joining…" : "Join"}
      </SubmitButton>
    </form>
  );
}
