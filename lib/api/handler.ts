import { z } from "zod";
import { authenticateApiKey } from "../api-keys/mutations";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "../errors";
import { fieldErrorsOf } from "../actions/result";
import { log } from "../log";

export class PayloadTooLargeError extends Error {}

/** Every REST error has one shape: {error: {code, message, fields?}}. */
export function apiError(status: number, code: string, message: string, fields?: Record<string, string[]>, headers?: HeadersInit) {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}) } }, { status, headers });
}

type Handler<P> = (ctx: { req: Request; tenantId: string; params: P }) => Promise<Response>;

/**
 * Wraps a REST route: resolves the Bearer key to its tenant (401 otherwise) and maps domain errors,
 * so a handler cannot forget tenant scoping or answer an unknown id with anything but 404.
 */
export function apiRoute<P = Record<string, never>>(handler: Handler<P>) {
  return async (req: Request, ctx: { params: Promise<P> }) => {
    const header = req.headers.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const auth = match ? await authenticateApiKey(match[1]!) : null;
    if (!auth) return apiError(401, "unauthorized", "Missing, invalid or revoked API key. Send `Authorization: Bearer <key>`.", undefined, { "WWW-Authenticate": "Bearer" });
    try {
      return await handler({ req, tenantId: auth.tenantId, params: await ctx.params });
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export function errorResponse(err: unknown): Response {
  if (err instanceof z.ZodError) return apiError(422, "validation_failed", "The request has invalid fields.", fieldErrorsOf(err));
  if (err instanceof FieldError) return apiError(422, "validation_failed", err.message, err.fields);
  if (err instanceof NotFoundError) return apiError(404, "not_found", err.message);
  if (err instanceof ConflictError) return apiError(409, err.code, err.message);
  if (err instanceof ForbiddenError) return apiError(403, "forbidden", err.message);
  if (err instanceof PayloadTooLargeError) return apiError(413, "payload_too_large", err.message);
  log.error({ err }, "unhandled API error");
  return apiError(500, "internal_error", "Something went wrong on our side.");
}
