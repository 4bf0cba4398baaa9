"use client";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { signUpAction } from "@/lib/tenants/actions";
import { signupSchema } from "@/lib/tenants/schema";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage } from "../ui/field";
import { useZodForm } from "../ui/use-zod-form";

export function SignUpForm() {
  const router = useRouter();
  const { errors, setErrors, validate } = useZodForm(signupSchema);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (!validate(form)) return;
    setPending(true);
    setMessage(null);
    const result = await signUpAction(form);
    if (!result.ok) {
      setPending(false);
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
      return;
    }
    await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    router.push(`/t/${result.data.tenantId}`);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <FormMessage message={message} />
      <Field label="Organisation" name="organisation" autoComplete="organization" errors={errors.organisation} required />
      <Field label="Your name" name="name" autoComplete="name" errors={errors.name} required />
      <Field label="Work email" name="email" type="email" autoComplete="email" errors={errors.email} required />
      <Field label="Password" name="password" type="password" autoComplete="new-password" errors={errors.password} hint="At least 10 characters" required />
      <SubmitButton disabled={pending} className="w-full">
        {pending ? "Creating your workspace…" : "Create account"}
      </SubmitButton>
      <p className="text-center text-sm text-slate-500">
        Already have an account? <Link href="/signin" className="font-medium text-indigo-600 hover:underline">Sign in</Link>
      </p>
    </form>
  );
}
