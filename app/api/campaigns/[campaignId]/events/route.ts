// GET /api/campaigns/[campaignId]/events — Server-Sent Events: the campaign's live progress snapshot
import { apiError } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { campaignProgress } from "@/lib/campaigns/progress";
import { liveEventResponse } from "@/lib/live/event-response";

export const dynamic = "force-dynamic";

export async function GET(req: Request, { params }: { params: Promise<{ campaignId: string }> }) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to follow a campaign.");
  const { campaignId } = await params;
  const { id: userId, tenantId } = user;
  return liveEventResponse(req, {
    userId,
    // Scoped by tenant: a campaign moved to another tenant is gone for this key's viewers.
    key: `campaign:${tenantId}:${campaignId}`,
    load: () => campaignProgress(tenantId, campaignId),
    access: `member:${tenantId}`,
    stillAllowed: async () => {
      const now = await currentUser();
      return now?.id === userId && now.tenantId === tenantId;
    },
    context: { tenantId, campaignId },
  });
}
