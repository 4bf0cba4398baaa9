// A do-not-call CSV sent as the raw request body (text/csv), as the REST API, the settings page and the admin page
// send it: ?defaultCountry= for numbers without +country code, the answer is the counts or the import's error shape.
import type { CountryCode } from "libphonenumber-js/max";
import { z } from "zod";
import { importErrorResponse } from "../imports/error-response";
import { countryCodeSchema, ImportError } from "../imports/schema";
import { importSuppressionCsv, type SuppressionOptions } from "./mutations";
import type { SuppressionScope } from "./schema";

const uploadQuerySchema = z.object({ defaultCountry: countryCodeSchema.optional() });

export async function csvUploadResponse(scope: SuppressionScope, req: Request, options: Pick<SuppressionOptions, "afterWrite"> = {}): Promise<Response> {
  const given = new URL(req.url).searchParams.get("defaultCountry") || undefined;
  const defaultCountry = uploadQuerySchema.parse({ defaultCountry: given }).defaultCountry as CountryCode | undefined;
  const length = req.headers.get("content-length");
  try {
    const result = await importSuppressionCsv(scope, req.body ?? emptyBody(), {
      ...options,
      defaultCountry,
      contentLength: length !== null && /^\d+$/.test(length) ? Number(length) : undefined,
    });
    return Response.json(result);
  } catch (err) {
    if (err instanceof ImportError) return importErrorResponse(err);
    throw err;
  }
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

/** The media type of a request, lower-case and without parameters. */
export function mediaTypeOf(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}
