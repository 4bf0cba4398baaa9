import { z } from "zod";
import { authenticateApiKey } from "../api-keys/mutations";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "../errors";
import { fieldErrorsOf } from "../actions/result";
import { log } from "../log";
import { consumeApiQuota } from "./rate-limit";

export class PayloadTooLargeError extends Error {}

/** Every REST error has one shape: {error: {code, message, fields?}}. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>, headers?: HeadersInit) {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

type Handler<P> = (ctx: { req: Request; tenantId: string; params: P }) => Promise<Response>;

/**
 * Wraps a REST route: resolves the Bearer key to its tenant (401 otherwise), counts the request against the
 * key's per-minute budget (429 past it) and maps domain errors, so a handler cannot forget tenant scoping,
 * the rate limit, or answer an unknown id with anything but 404.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (req: Request, ctx: { params: Promise<P> }) => {
    const header = req.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const auth = match ? await authenticateApiKey(match[1]!) : null;
    if (!auth) return apiError(401, "unauthorized", "Missing, invalid or revoked API key. Send `Authorization: Bearer <key>`.", undefined, { "WWW-Authenticate": "Bearer" });
    const quota = await consumeApiQuota(auth.keyId);
    if (!quota.allowed) {
      const message = `This API key made more than ${quota.headers["RateLimit-Limit"]} requests in a minute; retry in ${quota.headers["Retry-After"]} s.`;
      return apiError(429, "rate_limited", message, undefined, quota.headers);
    }
    let res: Response;
    try {
      res = await handler({ req, tenantId: auth.tenantId, params: await ctx.params });
    } catch (err) {
      res = errorResponse(err);
    }
    // Sent on every answer, so a client can slow down before it is refused.
    for (const [name, value] of Object.entries(quota.headers)) res.headers.set(name, value);
    return res;
  };
}

export function errorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) return apiError(422, "validation_failed", "The request has invalid fields.", fieldErrorsOf(err));
  if (err instanceof FieldError) return apiError(422, "validation_failed", err.message, err.fields);
  if (err instanceof NotFoundError) return apiError(404, "not_found", err.message);
  if (err instanceof ConflictError) return apiError(409, err.code, err.message);
  if (err instanceof ForbiddenError) return apiError(403, "forbidden", err.message);
  // The import's own code, so a client handles one 413 whichever limit caught the body.
  if (err instanceof PayloadTooLargeError) return apiError(413, "too_large", err.message);
  log.error({ err }, "unhandled API error");
  return apiError(500, "internal_error", "Something went wrong on our side.");
}
