import { AuthCard } from "@/components/auth/auth-card";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const metadata = { title: "Create an account" };

export default function SignUpPage() {
  return (
    <AuthCard title="Create your fairdial workspace" subtitle="Upload leads and place your first call in under a minute.">
      <SignUpForm />
    </AuthCard>
  );
}
