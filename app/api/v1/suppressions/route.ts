// GET, POST /api/v1/suppressions — the tenant's do-not-call list, a page at a time; add numbers as JSON or a CSV
import type { CountryCode } from "libphonenumber-js/max";
import { apiError, apiRoute } from "@/lib/api/handler";
import { readJsonBody } from "@/lib/api/json-body";
import { csvUploadResponse, mediaTypeOf } from "@/lib/suppressions/csv-upload";
import { listSuppressions, serializeSuppression } from "@/lib/suppressions/data";
import { addSuppressions } from "@/lib/suppressions/mutations";
import { parseAddSuppressionsBody, suppressionsQuerySchema } from "@/lib/suppressions/schema";

export const GET = apiRoute(async ({ req, tenantId }) => {
  // An empty parameter (`?q=`) means "not given", as it does in an HTML form.
  const given = [...new URL(req.url).searchParams].filter(([, value]) => value !== "");
  const query = suppressionsQuerySchema.parse(Object.fromEntries(given));
  const { suppressions, nextCursor } = await listSuppressions({ tenantId }, query);
  return Response.json({ suppressions: suppressions.map(serializeSuppression), nextCursor });
});

export const POST = apiRoute(async ({ req, tenantId }) => {
  const mediaType = mediaTypeOf(req);
  if (mediaType === "text/csv") return csvUploadResponse({ tenantId }, req);
  if (mediaType !== "application/json") {
    return apiError(415, "unsupported_media_type", "Send the numbers as application/json, or a CSV file as the body with Content-Type: text/csv.");
  }
  const { entries, defaultCountry } = parseAddSuppressionsBody(await readJsonBody(req));
  const result = await addSuppressions({ tenantId }, entries, "API", { defaultCountry: defaultCountry as CountryCode | undefined });
  return Response.json(result);
});
