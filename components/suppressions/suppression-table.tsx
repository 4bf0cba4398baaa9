"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/result";
import type { SuppressionSourceName } from "@/lib/suppressions/schema";
import { Button } from "../ui/button";
import { FormMessage } from "../ui/field";

export type SuppressionView = { id: string; phone: string; reason: string | null; source: SuppressionSourceName; createdAt: string };

const SOURCE_LABEL: Record<SuppressionSourceName, string> = {
  MANUAL: "Added by hand",
  UPLOAD: "CSV upload",
  API: "API",
  OPT_OUT: "Opted out during a call",
};

/**
 * One page of a list, newest first, with a search by the start of the number. Search and paging are plain links and
 * a GET form (the page reads ?q= and ?cursor=), so they work before the page's scripts load.
 */
export function SuppressionTable({ basePath, entries, q, cursor, nextCursor, removeAction }: {
  basePath: string;
  entries: SuppressionView[];
  q?: string;
  cursor?: string;
  nextCursor: string | null;
  /** Omitted: the viewer may not take numbers off the list. */
  removeAction?: (phone: string) => Promise<ActionResult>;
}) {
  const router = useRouter();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const href = (params: { q?: string; cursor?: string }) => {
    const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1])));
    return query.size ? `${basePath}?${query}` : basePath;
  };

  function remove(phone: string) {
    if (!removeAction || !window.confirm(`Take ${phone} off the list? Leads already suppressed stay suppressed.`)) return;
    start(async () => {
      const result = await removeAction(phone);
      setMessage(result.ok ? null : result.message);
      router.refresh();
    });
  }

  return (
    <div className="space-y-3">
      <form method="get" action={basePath} className="flex max-w-md items-end gap-2" role="search">
        <label className="block flex-1 text-sm">
          <span className="font-medium text-slate-700">Search</span>
          <input
            name="q"
            defaultValue={q}
            placeholder="Start of the number, e.g. +1212"
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
          />
        </label>
        <Button type="submit" variant="secondary">Search</Button>
        {q && <Link href={basePath} className="pb-2 text-sm text-indigo-600 hover:underline">Clear</Link>}
      </form>
      <FormMessage message={message} />
      <table className="w-full text-sm" aria-label="Do-not-call numbers">
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr><th className="py-2">Number</th><th>Reason</th><th>Source</th><th>Added (UTC)</th><th /></tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map((e) => (
            <tr key={e.id} data-testid="dnc-row">
              <td className="py-2 font-mono text-xs">{e.phone}</td>
              <td className="text-slate-600">{e.reason ?? "—"}</td>
              <td>{SOURCE_LABEL[e.source]}</td>
              <td className="whitespace-nowrap">{e.createdAt.slice(0, 16).replace("T", " ")}</td>
              <td className="text-right">{removeAction && <Button variant="ghost" disabled={pending} onClick={() => remove(e.phone)}>Remove</Button>}</td>
            </tr>
          ))}
          {entries.length === 0 && (
            <tr><td colSpan={5} className="py-3 text-slate-500">{q ? "No number on the list starts with this." : cursor ? "No more numbers." : "The list is empty."}</td></tr>
          )}
        </tbody>
      </table>
      {(cursor || nextCursor) && (
        <div className="flex justify-between text-sm">
          {cursor ? <Link href={href({ q })} className="text-indigo-600 hover:underline">First page</Link> : <span />}
          {nextCursor && <Link href={href({ q, cursor: nextCursor })} className="text-indigo-600 hover:underline">Next page</Link>}
        </div>
      )}
    </div>
  );
}
