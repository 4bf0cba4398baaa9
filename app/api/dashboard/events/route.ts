// GET /api/dashboard/events — Server-Sent Events: the signed-in tenant's dashboard snapshot
import { apiError } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { tenantProgress } from "@/lib/campaigns/progress";
import { liveEventResponse } from "@/lib/live/event-response";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to see the dashboard.");
  const { id: userId, tenantId } = user;
  return liveEventResponse(req, {
    userId,
    key: `tenant:${tenantId}`,
    load: () => tenantProgress(tenantId),
    access: `member:${tenantId}`,
    stillAllowed: async () => {
      const now = await currentUser();
      return now?.id === userId && now.tenantId === tenantId;
    },
    context: { tenantId },
  });
}
