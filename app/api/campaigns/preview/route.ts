// POST /api/campaigns/preview — header, first rows and guessed mapping of the start of a CSV (raw body, ≤ 64 KB)
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { BodyTooLargeError, readCappedBody } from "@/lib/http/body";
import { preview } from "@/lib/imports/parse";
import { ImportError } from "@/lib/imports/schema";

export const dynamic = "force-dynamic";

const PREVIEW_BYTES = 64 * 1024;

export async function POST(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to preview a file.");
  try {
    // Read under the cap: a declared or streamed body past it is cut off, never held in memory whole.
    const bytes = await readCappedBody(req, PREVIEW_BYTES);
    // ?truncated=1: these are only the first bytes of a bigger file, so the last row may be cut off.
    const truncated = new URL(req.url).searchParams.get("truncated") === "1";
    return Response.json(preview(bytes, 5, { truncated }));
  } catch (err) {
    if (err instanceof BodyTooLargeError) return apiError(413, "too_large", `Send at most the first ${PREVIEW_BYTES} bytes of the file.`);
    if (err instanceof ImportError) return Response.json({ error: { code: err.code, message: err.message, ...(err.line ? { line: err.line } : {}) } }, { status: 422 });
    return errorResponse(err);
  }
}
