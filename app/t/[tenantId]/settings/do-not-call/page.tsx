import { SettingsNav } from "@/components/settings/settings-nav";
import { AddNumberForm } from "@/components/suppressions/add-number-form";
import { SuppressionTable } from "@/components/suppressions/suppression-table";
import { UploadNumbersForm } from "@/components/suppressions/upload-numbers-form";
import { Card } from "@/components/ui/card";
import { requireMember } from "@/lib/auth/session";
import { addSuppressionAction, removeSuppressionAction } from "@/lib/suppressions/actions";
import { listSuppressions, serializeSuppression, suppressionCounts } from "@/lib/suppressions/data";
import { suppressionsQuerySchema } from "@/lib/suppressions/schema";

export const metadata = { title: "Do-not-call list" };

export default async function DoNotCallPage({ params, searchParams }: { params: Promise<{ tenantId: string }>; searchParams: Promise<{ q?: string; cursor?: string }> }) {
  const { tenantId } = await params;
  const basePath = `/t/${tenantId}/settings/do-not-call`;
  const user = await requireMember(tenantId, basePath);
  const isOwner = user.role === "OWNER";
  const { q, cursor } = await searchParams;
  const parsed = suppressionsQuerySchema.safeParse({ q: q || undefined, cursor: cursor || undefined });
  const query = parsed.success ? parsed.data : suppressionsQuerySchema.parse({});
  const [page, counts] = await Promise.all([listSuppressions({ tenantId }, query), suppressionCounts({ tenantId })]);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Settings</h1>
      <SettingsNav tenantId={tenantId} active="do-not-call" />
      <p className="max-w-3xl text-sm text-slate-600">
        Numbers on this list are never called by any of your campaigns: leads with them that are not dialed yet are marked suppressed at once, and a
        call already queued is dropped before it is dialed. A person who asks during a call not to be called again is added automatically (through the
        API&apos;s opt-out). The platform keeps its own list too, which applies to every account.
      </p>
      <Card title="Add a number">
        <AddNumberForm action={addSuppressionAction.bind(null, tenantId)} />
      </Card>
      <Card title="Upload a CSV">
        <UploadNumbersForm uploadUrl="/api/suppressions" />
      </Card>
      <Card
        title={`Your list (${counts.total.toLocaleString("en-US")} ${counts.total === 1 ? "number" : "numbers"})`}
        description={
          isOwner
            ? "Removing a number lets leads imported from now on be called again; leads it already suppressed stay suppressed."
            : "Only owners can take numbers off the list. Leads a number already suppressed stay suppressed after it is removed."
        }
      >
        {!parsed.success && <p className="mb-3 text-sm text-rose-600">{parsed.error.issues[0]?.message}</p>}
        <SuppressionTable
          basePath={basePath}
          entries={page.suppressions.map(serializeSuppression)}
          q={parsed.success ? query.q : undefined}
          cursor={query.cursor}
          nextCursor={page.nextCursor}
          removeAction={isOwner ? removeSuppressionAction.bind(null, tenantId) : undefined}
        />
      </Card>
    </div>
  );
}
