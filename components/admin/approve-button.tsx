"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { approveTenantAction } from "@/lib/admin/actions";

export function ApproveButton({ tenantId, tenantName }: { tenantId: string; tenantName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  function approve() {
    start(async () => {
      const result = await approveTenantAction(tenantId);
      setError(result.ok ? null : result.message);
      router.refresh();
    });
  }

  return (
    <>
      <button type="button" onClick={approve} disabled={pending} aria-label={`Approve ${tenantName}`} className="mr-1 rounded bg-emerald-600 px-2 py-1 font-medium text-white hover:bg-emerald-500 disabled:bg-emerald-300">
        Approve
      </button>
      {error && <span role="alert" className="ml-2 text-xs text-rose-600">{error}</span>}
    </>
  );
}
