"use client";
import { useState } from "react";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/api-keys/actions";
import { Button } from "../ui/button";
import { SubmitButton } from "../ui/submit-button";
import { Card } from "../ui/card";
import { CopyField } from "../ui/copy-field";
import { Field } from "../ui/field";
import { submitForm } from "../ui/form-submit";

type Key = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null };

export function ApiKeysPanel({ tenantId, keys }: { tenantId: string; keys: Key[] }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [created, setCreated] = useState<string | null>(null);

  async function create(form: FormData) {
    const result = await createApiKeyAction(tenantId, form);
    if (!result.ok) return setErrors(result.fieldErrors ?? { name: [result.message] });
    setErrors({});
    setCreated(result.data.key);
    return true;
  }

  return (
    <Card title="API keys" description="Use a key as `Authorization: Bearer <key>` with the REST API.">
      <form onSubmit={submitForm(create)} className="flex max-w-lg items-end gap-3">
        <div className="flex-1"><Field label="Key name" name="name" placeholder="e.g. CRM sync" errors={errors.name} /></div>
        <SubmitButton>Create key</SubmitButton>
      </form>
      {created && (
        <div className="mt-3">
          <CopyField label="Your new key. It is shown only once: store it somewhere safe now." value={created} testId="new-api-key" />
        </div>
      )}
      <table className="mt-5 w-full text-sm">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr><th className="py-2">Name</th><th>Key</th><th>Created</th><th>Last used</th><th /></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {keys.map((k) => (
            <tr key={k.id} data-testid="api-key-row" className={k.revokedAt ? "text-slate-400" : undefined}>
              <td className="py-2">{k.name}</td>
              <td className="font-mono text-xs">{k.prefix}…</td>
              <td>{formatDate(k.createdAt)}</td>
              <td>{k.lastUsedAt ? formatDate(k.lastUsedAt) : "never"}</td>
              <td className="text-right">
                {k.revokedAt ? <span>Revoked</span> : <Button variant="ghost" onClick={() => revokeApiKeyAction(tenantId, k.id)}>Revoke</Button>}
              </td>
            </tr>
          ))}
          {keys.length === 0 && <tr><td colSpan={5} className="py-3 text-slate-500">No keys yet.</td></tr>}
        </tbody>
      </table>
    </Card>
  );
}

function formatDate(d: Date) {
  return new Date(d).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";
}
