// GET /api/dashboard/events — Server-Sent Events: the signed-in tenant's dashboard snapshot
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { tenantProgress } from "@/lib/campaigns/progress";
import { snapshotEventStream, SSE_HEADERS } from "@/lib/sse";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to see the dashboard.");
  const { tenantId } = user;
  try {
    await tenantProgress(tenantId);
  } catch (err) {
    return errorResponse(err);
  }
  const body = snapshotEventStream(() => tenantProgress(tenantId), req.signal, { context: { tenantId } });
  return new Response(body, { headers: SSE_HEADERS });
}
