// GET /api/campaigns/[campaignId]/events — Server-Sent Events: the campaign's live progress snapshot
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { campaignProgress } from "@/lib/campaigns/progress";
import { snapshotEventStream, SSE_HEADERS } from "@/lib/sse";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ campaignId: string }> }) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to follow a campaign.");
  const { campaignId } = await params;
  const { tenantId } = user;
  try {
    // A foreign or unknown id is a 404 before the stream opens (EventSource then stops retrying).
    await campaignProgress(tenantId, campaignId);
  } catch (err) {
    return errorResponse(err);
  }
  const body = snapshotEventStream(() => campaignProgress(tenantId, campaignId), req.signal, { context: { tenantId, campaignId } });
  return new Response(body, { headers: SSE_HEADERS });
}
