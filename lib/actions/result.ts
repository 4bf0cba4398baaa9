import { z } from "zod";
import { ConflictError, FieldError, ForbiddenError, NotFoundError } from "../errors";

export type ActionResult<T = undefined> =
  | { ok: true; data: T }
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> };

/** Turns thrown domain and validation errors into what a form can show next to its fields. */
export async function toActionResult<T>(fn: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn() };
  } catch (err) {
    if (err instanceof z.ZodError) return { ok: false, message: "Some fields need attention", fieldErrors: fieldErrorsOf(err) };
    if (err instanceof FieldError) return { ok: false, message: err.message, fieldErrors: err.fields };
    if (err instanceof NotFoundError || err instanceof ConflictError || err instanceof ForbiddenError) return { ok: false, message: err.message };
    throw err;
  }
}

export function fieldErrorsOf(err: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of err.issues) {
    const path = issue.path.join(".") || "_";
    (out[path] ??= []).push(issue.message);
  }
  return out;
}

export function formObject(form: FormData) {
  return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string"));
}
