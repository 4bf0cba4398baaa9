import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { authOptions } from "../auth";
import { getUserForSession } from "../tenants/data";

export type SessionUser = NonNullable<Awaited<ReturnType<typeof getUserForSession>>>;

/**
 * The signed-in user, or null. A token whose session version is not the user's current one (password changed,
 * "sign out everywhere") is signed out, as is a token from before versions existed.
 */
export async function currentUser(): Promise<SessionUser | null> {
  const session = (await getServerSession(authOptions)) as { uid?: string; sv?: number } | null;
  if (!session?.uid || typeof session.sv !== "number") return null;
  return getUserForSession(session.uid, session.sv);
}

export async function requireUser(callbackUrl = "/dashboard"): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
  return user;
}

/** A tenant id in a URL that isn't the user's own is a 404: we never confirm that another tenant exists. */
export async function requireMember(tenantId: string, callbackUrl?: string): Promise<SessionUser> {
  const user = await requireUser(callbackUrl ?? `/t/${tenantId}`);
  if (user.tenantId !== tenantId) notFound();
  return user;
}

export async function requireOwner(tenantId: string): Promise<SessionUser> {
  const user = await requireMember(tenantId);
  if (user.role !== "OWNER") notFound();
  return user;
}

export async function requirePlatformAdmin(): Promise<SessionUser> {
  const user = await requireUser("/admin");
  if (!user.isPlatformAdmin) redirect("/dashboard?denied=admin");
  return user;
}
