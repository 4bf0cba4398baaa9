// GET /api/admin/events — Server-Sent Events: the admin dashboard's live snapshot (platform admins only)
import { adminSnapshot } from "@/lib/admin/overview";
import { apiError } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { snapshotEventStream, SSE_HEADERS } from "@/lib/sse";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in as a platform admin.");
  if (!user.isPlatformAdmin) return apiError(403, "forbidden", "Platform admins only.");
  return new Response(snapshotEventStream(() => adminSnapshot(), req.signal), { headers: SSE_HEADERS });
}
