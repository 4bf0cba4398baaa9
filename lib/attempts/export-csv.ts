import { getCampaign } from "../campaigns/data";
import { csvRow, neutraliseCell, safeCsvLine } from "../imports/csv-safe";
import { serializeAttempt } from "./attempt-json";
import { attemptRows, leadIdSpan, type SpannedAttemptRow } from "./data";
import type { AttemptFilters } from "./schema";

// Smaller than the results export's: the fewer rows a batch asks for, the surer the planner reads them in index order (see data.ts).
export const ATTEMPTS_EXPORT_BATCH = 2000;
const COLUMNS = [
  "line",
  "phone",
  "lead_id",
  "attempt_id",
  "attempt_number",
  "queued_at",
  "dialed_at",
  "answered_at",
  "ended_at",
  "duration_sec",
  "outcome",
  "outcome_assumed",
  "in_doubt",
  "provider_call_id",
  "error",
];

/**
 * One CSV row per attempt, in the list's order (lead, then attempt number), read in keyset batches of the same
 * query as the list's pages: memory is bounded by one batch however many attempts the campaign has. The error
 * and the provider's call id come from outside and are neutralised against formula injection like user data.
 */
export async function* exportAttemptsCsv(tenantId: string, campaignId: string, filters: AttemptFilters = {}): AsyncGenerator<string> {
  await getCampaign(tenantId, campaignId);
  yield safeCsvLine(COLUMNS);
  const span = await leadIdSpan(campaignId);
  if (!span) return;
  let after: SpannedAttemptRow | undefined;
  for (;;) {
    const batch = await attemptRows(tenantId, campaignId, span, filters, after, ATTEMPTS_EXPORT_BATCH);
    for (const row of batch) yield attemptLine(row);
    if (batch.length < ATTEMPTS_EXPORT_BATCH) return;
    after = batch[batch.length - 1];
  }
}

function attemptLine(row: SpannedAttemptRow) {
  const a = serializeAttempt(row);
  const rest = [
    a.leadId,
    a.id,
    String(a.attemptNumber),
    a.queuedAt,
    a.dialedAt ?? "",
    a.answeredAt ?? "",
    a.endedAt ?? "",
    a.durationSec?.toString() ?? "",
    a.outcome?.toLowerCase() ?? "",
    String(a.outcomeAssumed),
    String(a.inDoubt),
    a.providerCallId ?? "",
    a.error ?? "",
  ].map(neutraliseCell);
  // The phone is our own E.164: a number to a spreadsheet, never a formula (the results export does the same).
  return `${csvRow([String(row.line), a.phone, ...rest])}\r\n`;
}
