// POST /api/admin/suppressions — the platform-wide do-not-call CSV (raw text/csv body, ≤ 5 MB); platform admins only, audited
import { platformUploadAudit } from "@/lib/admin/mutations";
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { csvUploadResponse } from "@/lib/suppressions/csv-upload";

export const dynamic = "force-dynamic";

export async function POST(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in as a platform admin.");
  if (!user.isPlatformAdmin) return apiError(403, "forbidden", "Platform admins only.");
  try {
    return await csvUploadResponse({ platform: true }, req, { afterWrite: platformUploadAudit(user) });
  } catch (err) {
    return errorResponse(err);
  }
}
