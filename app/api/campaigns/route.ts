// POST /api/campaigns — the upload form's CSV (multipart), streamed into a new campaign for the signed-in tenant
import { apiError, errorResponse } from "@/lib/api/handler";
import { currentUser } from "@/lib/auth/session";
import { campaignFormOptions } from "@/lib/campaigns/create";
import { finishUpload, readMultipartUpload, UploadError, type MultipartUpload } from "@/lib/campaigns/upload";
import { env } from "@/lib/env";
import { importErrorResponse } from "@/lib/imports/error-response";
import { importCampaign } from "@/lib/imports/import";
import { ImportError } from "@/lib/imports/schema";

export const dynamic = "force-dynamic";

/** Room for the form fields and multipart framing around the file itself. */
const ENVELOPE_BYTES = 256 * 1024;

export async function POST(req: Request) {
  const user = await currentUser();
  if (!user) return apiError(401, "unauthorized", "Sign in to upload a campaign.");
  const maxBytes = env().IMPORT_MAX_BYTES;
  const declared = Number(req.headers.get("content-length"));
  if (declared > maxBytes + ENVELOPE_BYTES) return apiError(413, "too_large", `The file is larger than the ${formatMb(maxBytes)} limit; split it into smaller files.`);

  let upload: MultipartUpload | undefined;
  try {
    upload = await readMultipartUpload(req.body, req.headers.get("content-type"));
    // Checked before the file streams in, so a missing name or a bad schedule costs no import.
    const options = campaignFormOptions(upload.fields);
    const result = await importCampaign({ tenantId: user.tenantId, options, source: upload.file, signal: req.signal });
    return Response.json(result, { status: 201 });
  } catch (err) {
    if (req.signal.aborted) return new Response(null, { status: 499 });
    await finishUpload(upload, err, req.signal, maxBytes + ENVELOPE_BYTES);
    if (err instanceof ImportError) return importErrorResponse(err);
    if (err instanceof UploadError) return apiError(err.status, err.code, err.message);
    return errorResponse(err);
  }
}

function formatMb(bytes: number) {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
