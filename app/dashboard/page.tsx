import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";

export default async function DashboardRedirect() {
  const user = await requireUser("/dashboard");
  redirect(`/t/${user.tenantId}`);
}
