"use client";
import { useState } from "react";
import { renameTenantAction } from "@/lib/tenants/actions";
import { SubmitButton } from "../ui/submit-button";
import { Field, FormMessage } from "../ui/field";
import { submitForm } from "../ui/form-submit";

export function TenantNameForm({ tenantId, name, canEdit }: { tenantId: string; name: string; canEdit: boolean }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [saved, setSaved] = useState(false);

  async function action(form: FormData) {
    const result = await renameTenantAction(tenantId, form);
    setErrors(result.ok ? {} : result.fieldErrors ?? { name: [result.message] });
    setSaved(result.ok);
  }

  return (
    <form onSubmit={submitForm(action)} className="flex max-w-lg items-end gap-3">
      <div className="flex-1">
        <Field label="Name" name="name" defaultValue={name} disabled={!canEdit} errors={errors.name} />
      </div>
      {canEdit && <SubmitButton variant="secondary">Save</SubmitButton>}
      {saved && <FormMessage tone="success" message="Saved" />}
    </form>
  );
}
