"use client";
import { signIn } from "next-auth/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { signInErrorMessage } from "@/lib/auth/limit-messages";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage } from "../ui/field";

export function SignInForm({ callbackUrl, initialError = null, notice = null }: { callbackUrl: string; initialError?: string | null; notice?: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setPending(false);
    if (!res || res.error) {
      setError(signInErrorMessage(res?.error ?? "failed"));
      return;
    }
    router.push(safeCallbackPath(callbackUrl, window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {!error && <FormMessage tone="success" message={notice} />}
      <FormMessage message={error} />
      <Field label="Email" name="email" type="email" autoComplete="email" required />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      <SubmitButton disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </SubmitButton>
      <p className="text-center text-sm text-slate-500">
        New to fairdial? <Link href="/signup" className="font-medium text-indigo-600 hover:underline">Create an account</Link>
      </p>
    </form>
  );
}
