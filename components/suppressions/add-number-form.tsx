"use client";
import { useMemo, useState } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { SuppressionResult } from "@/lib/suppressions/schema";
import { countryOptions } from "../campaigns/country-options";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage, SelectField } from "../ui/field";
import { submitForm } from "../ui/form-submit";

export function AddNumberForm({ action }: { action: (form: FormData) => Promise<ActionResult<SuppressionResult>> }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ text: string; tone: "error" | "success" } | null>(null);

  async function add(form: FormData) {
    const result = await action(form);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setMessage(result.fieldErrors ? null : { text: result.message, tone: "error" });
      return;
    }
    setErrors({});
    setMessage({ text: addedMessage(result.data), tone: "success" });
    return true;
  }

  return (
    <form onSubmit={submitForm(add)} className="space-y-3" aria-label="Add a number">
      <div className="grid items-start gap-3 sm:grid-cols-[1fr_1fr_12rem_auto]">
        <Field label="Phone number" name="phone" placeholder="+1 212 555 0100" autoComplete="off" errors={errors.phone} />
        <Field label="Reason (optional)" name="reason" placeholder="e.g. asked by email" errors={errors.reason} />
        <CountrySelect errors={errors.defaultCountry} />
        <SubmitButton className="sm:mt-6">Add</SubmitButton>
      </div>
      {message && <FormMessage message={message.text} tone={message.tone} />}
    </form>
  );
}

/** The country assumed for a number written without +country code. */
export function CountrySelect({ errors, name = "defaultCountry" }: { errors?: string[]; name?: string }) {
  const options = useMemo(() => countryOptions(), []);
  return (
    <SelectField label="Country if no +code" name={name} defaultValue="US" errors={errors}>
      {options.map((c) => (
        <option key={c.code} value={c.code}>{c.name} ({c.code})</option>
      ))}
    </SelectField>
  );
}

function addedMessage(r: SuppressionResult) {
  const listed = r.added > 0 ? "Added to the list." : "This number was on the list already.";
  if (r.leadsSuppressed === 0) return listed;
  return `${listed} ${r.leadsSuppressed.toLocaleString("en-US")} ${r.leadsSuppressed === 1 ? "lead" : "leads"} not dialed yet will not be called.`;
}
