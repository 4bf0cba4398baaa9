// DELETE /api/v1/suppressions/{phone} — take a number (URL-encoded E.164) off the tenant's do-not-call list
import { apiRoute } from "@/lib/api/handler";
import { removeSuppression } from "@/lib/suppressions/mutations";

export const DELETE = apiRoute<{ phone: string }>(async ({ tenantId, params }) => {
  await removeSuppression({ tenantId }, decodedSegment(params.phone));
  return new Response(null, { status: 204 });
});

/** `%2B1212…` and `+1212…` both name the number; a malformed escape is left as written (and is not listed). */
function decodedSegment(segment: string) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
