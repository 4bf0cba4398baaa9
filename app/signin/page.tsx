import { AuthCard } from "@/components/auth/auth-card";
import { SignInForm } from "@/components/auth/sign-in-form";
import { signInErrorMessage } from "@/lib/auth/limit-messages";

export const metadata = { title: "Sign in" };

// Fixed texts for fixed codes: a link cannot make this page say what its author wants.
const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed and every session was signed out. Sign in with your new password.",
  "signed-out-everywhere": "You were signed out on every device. Sign in again to continue.",
};

type Search = { callbackUrl?: string | string[]; error?: string | string[]; notice?: string | string[] };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { callbackUrl, error, notice } = await searchParams;
  // The form checks the callback against its own origin before following it (lib/auth/callback-url.ts).
  return (
    <AuthCard title="Sign in to fairdial">
      <SignInForm callbackUrl={first(callbackUrl) ?? ""} initialError={signInErrorMessage(first(error))} notice={NOTICES[first(notice) ?? ""] ?? null} />
    </AuthCard>
  );
}

function first(v: string | string[] | undefined) {
  return Array.isArray(v) ? v[0] : v;
}
