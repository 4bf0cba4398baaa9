// GET /api/admin/events — Server-Sent Events: the admin dashboard's live snapshot (platform admins only)
import { adminSnapshot } from "@/lib/admin/overview";
import { apiError } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { liveEventResponse } from "@/lib/live/event-response";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in as a platform admin.");
  if (!user.isPlatformAdmin) return apiError(403, "forbidden", "Platform admins only.");
  const userId = user.id;
  return liveEventResponse(req, {
    userId,
    key: "admin",
    load: () => adminSnapshot(),
    access: "admin",
    stillAllowed: async () => {
      const now = await currentUser();
      return now?.id === userId && now.isPlatformAdmin;
    },
  });
}
