import Link from "next/link";
import { AddNumberForm } from "@/components/suppressions/add-number-form";
import { SuppressionTable } from "@/components/suppressions/suppression-table";
import { UploadNumbersForm } from "@/components/suppressions/upload-numbers-form";
import { Card } from "@/components/ui/card";
import { addPlatformSuppressionAction, removePlatformSuppressionAction } from "@/lib/admin/actions";
import { requirePlatformAdmin } from "@/lib/auth/session";
import { listSuppressions, serializeSuppression, suppressionCounts } from "@/lib/suppressions/data";
import { suppressionsQuerySchema } from "@/lib/suppressions/schema";

export const metadata = { title: "Platform do-not-call list" };
export const dynamic = "force-dynamic";

const BASE_PATH = "/admin/do-not-call";

export default async function PlatformDoNotCallPage({ searchParams }: { searchParams: Promise<{ q?: string; cursor?: string }> }) {
  await requirePlatformAdmin();
  const { q, cursor } = await searchParams;
  const parsed = suppressionsQuerySchema.safeParse({ q: q || undefined, cursor: cursor || undefined });
  const query = parsed.success ? parsed.data : suppressionsQuerySchema.parse({});
  const [page, counts] = await Promise.all([listSuppressions({ platform: true }, query), suppressionCounts({ platform: true })]);
  return (
    <main className="mx-auto max-w-7xl space-y-6 px-6 py-8">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Platform do-not-call list</h1>
        <Link href="/admin" className="text-sm text-indigo-600 hover:underline">Back to admin</Link>
      </div>
      <p className="max-w-3xl text-sm text-slate-600">
        No tenant ever calls a number on this list. Adding one marks every tenant&apos;s leads with it that are not dialed yet as suppressed; calls
        already queued are dropped before they are dialed. Every change is in the audit log. Tenants keep their own lists besides this one.
      </p>
      <Card title="Add a number">
        <AddNumberForm action={addPlatformSuppressionAction} />
      </Card>
      <Card title="Upload a CSV">
        <UploadNumbersForm uploadUrl="/api/admin/suppressions" />
      </Card>
      <Card
        title={`The list (${counts.total.toLocaleString("en-US")} ${counts.total === 1 ? "number" : "numbers"})`}
        description="Removing a number lets leads imported from now on be called again; leads it already suppressed stay suppressed."
      >
        {!parsed.success && <p className="mb-3 text-sm text-rose-600">{parsed.error.issues[0]?.message}</p>}
        <SuppressionTable
          basePath={BASE_PATH}
          entries={page.suppressions.map(serializeSuppression)}
          q={parsed.success ? query.q : undefined}
          cursor={query.cursor}
          nextCursor={page.nextCursor}
          removeAction={removePlatformSuppressionAction}
        />
      </Card>
    </main>
  );
}
