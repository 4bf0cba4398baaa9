"use client";
import { useState } from "react";
import type { z } from "zod";

/** Client-side check with the same zod schema the server action uses, so messages match exactly. */
export function useZodForm(schema: z.ZodType) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  function validate(form: FormData) {
    const result = schema.safeParse(Object.fromEntries(form.entries()));
    if (result.success) {
      setErrors({});
      return true;
    }
    const next: Record<string, string[]> = {};
    for (const issue of result.error.issues) (next[issue.path.join(".")] ??= []).push(issue.message);
    setErrors(next);
    return false;
  }
  return { errors, setErrors, validate };
}
