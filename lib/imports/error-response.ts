// An ImportError as both upload routes answer it: {error: {code, message, line?}} with the status its code calls for.
import { ImportError, importErrorStatus } from "./schema";

/** An import of the same account usually finishes within this long (a million rows take about 20 s). */
const RETRY_AFTER_SEC = 30;

export function importErrorResponse(err: ImportError): Response {
  const headers = err.code === "too_many_imports" ? { "Retry-After": String(RETRY_AFTER_SEC) } : undefined;
  const line = err.line === undefined ? {} : { line: err.line };
  return Response.json({ error: { code: err.code, message: err.message, ...line } }, { status: importErrorStatus(err.code), headers });
}
