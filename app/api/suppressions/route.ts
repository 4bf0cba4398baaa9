// POST /api/suppressions — the settings page's do-not-call CSV (raw text/csv body, ≤ 5 MB) for the signed-in tenant
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { csvUploadResponse } from "@/lib/suppressions/csv-upload";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to upload a do-not-call list.");
  try {
    return await csvUploadResponse({ tenantId: user.tenantId }, req);
  } catch (err) {
    return errorResponse(err);
  }
}
