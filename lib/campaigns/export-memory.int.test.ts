// The results and attempts exports of a 200,000-lead campaign, read the way a slow client reads a download
// (issue 14: both stream, in bounded memory). Every lead and attempt comes out once, with its content, while the
// process's live memory stays near one batch; a client that hangs up midway gives the database connection back.
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as attemptsExportRoute } from "../../app/api/v1/campaigns/[id]/attempts/export/route";
import { GET as exportRoute } from "../../app/api/v1/campaigns/[id]/export/route";
import { createApiKey } from "../api-keys/mutations";
import { db } from "../db";
import { pgPool } from "../pg";
import { createTenant } from "../test/factories";

const LEADS = 200_000;
// Leads with g % 10 < 4 were dialed: 0 and 1 once, 2 and 3 twice.
const ATTEMPTS = LEADS * 0.2 * 1 + LEADS * 0.2 * 2;
const T0 = Date.UTC(2025, 2, 3, 10, 0, 0);
const MIN = 60_000;

/**
 * How much of its CSV's size the export may keep live (heap and buffers after a full GC, beyond what the process
 * held before the request). Buffered, it holds at least the whole file, more as strings and far more as rows:
 * measured, the results CSV (38 MB) took +50 MB live buffered as lines and +194 MB as leads, the attempts CSV
 * (23 MB) +24 MB as lines. Streamed, one or two batches are live: +11 MB for the results, +2 MB for the attempts.
 */
const LIVE_SHARE = 0.6;
/**
 * What a stalled client may let the export add: nothing once the stream's small buffer is full. An export that
 * ignores backpressure ran on during the stall (+10 MB for the results, +12 MB for the attempts); streamed, ~0.
 */
const STALL_BOUND = 4 * 2 ** 20;
/**
 * Resident memory, which the allocator seldom gives back and V8 grows ahead of need: only a coarse bound.
 * Streamed, the results export grew RSS by up to 73 MB; buffered as leads, by 303 MB.
 */
const RSS_BOUND = 224 * 2 ** 20;

const gc = exposeGc();

describe("exports of a 200,000-lead campaign", () => {
  let tenantId: string;
  let key: string;
  let campaignId: string;

  beforeAll(async () => {
    tenantId = (await createTenant({ name: "export-memory" })).id;
    key = (await createApiKey(tenantId, "tests")).key;
    campaignId = await seedCampaign(tenantId);
    // Prisma's engine and the routes' modules load once; the first read must not count that as the export's.
    await readBody(await results(key, campaignId), { stopAfter: 1000 });
    await readBody(await attempts(key, campaignId), { stopAfter: 1000 });
  });

  afterAll(async () => {
    // Cascades to the campaign, its leads and attempts: 320,000 rows other tests' scans need not wade through.
    if (tenantId) await db.tenant.delete({ where: { id: tenantId } });
  });

  it("streams the results CSV: every lead once, in line order, in bounded memory", async () => {
    let previous = 1;
    const read = await readBody(await results(key, campaignId), {
      onHeader: (header) => expect(header).toBe(RESULTS_HEADER),
      onRow: (row) => {
        const line = Number(row.slice(0, row.indexOf(",")));
        if (line !== previous + 1) expect(line, "the line after line " + previous).toBe(previous + 1);
        if (row !== resultRow(line - 1)) expect(row).toBe(resultRow(line - 1));
        previous = line;
      },
    });
    expect(read.rows).toBe(LEADS);
    expect(previous).toBe(LEADS + 1);
    expectBoundedMemory(read);
  });

  it("streams the attempts CSV: every attempt once, in lead then attempt order, in bounded memory", async () => {
    let previous = { line: 0, n: 0 };
    const read = await readBody(await attempts(key, campaignId), {
      onHeader: (header) => expect(header).toBe(ATTEMPTS_HEADER),
      onRow: (row) => {
        const cells = row.split(",");
        const line = Number(cells[0]);
        const n = Number(cells[4]);
        const next = previous.line === line ? { line, n: previous.n + 1 } : { line: nextDialedLine(previous.line), n: 1 };
        if (line !== next.line || n !== next.n) expect({ line, n }, `after ${JSON.stringify(previous)}`).toEqual(next);
        // The lead's and the attempt's ids are Postgres's; the rest follows from the line and the attempt number.
        const rest = [...cells.slice(0, 2), ...cells.slice(4)].join(",");
        if (rest !== attemptRow(line - 1, n)) expect(rest).toBe(attemptRow(line - 1, n));
        previous = next;
      },
    });
    expect(read.rows).toBe(ATTEMPTS);
    // The last lead (g 200,000) was answered on its only call.
    expect(previous).toEqual({ line: LEADS + 1, n: 1 });
    expectBoundedMemory(read);
  });

  it("gives the database connection back when a client hangs up midway", async () => {
    // More abandoned downloads than Prisma's pool has connections (10): one held by each would exhaust it.
    for (let i = 0; i < 12; i++) {
      const res = await (i % 2 === 0 ? results(key, campaignId) : attempts(key, campaignId));
      const read = await readBody(res, { stopAfter: 7_000 + i * 1_000 });
      expect(read.rows).toBe(7_000 + i * 1_000);
    }
    // All ten connections at once, each on its own session: none is still checked out or inside a transaction.
    const sessions = await Promise.all(Array.from({ length: 10 }, () => db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid, pg_sleep(0.2)::text`));
    const pids = [...new Set(sessions.map(([s]) => s!.pid))];
    expect(pids).toHaveLength(10);
    const busy = await pgPool().query(`SELECT pid, state, query FROM pg_stat_activity WHERE pid = ANY($1) AND state <> 'idle'`, [pids]);
    expect(busy.rows).toEqual([]);
  });
});

const RESULTS_HEADER =
  "line,phone,name,timezone,status,attempts,last_outcome,last_duration_sec,next_attempt_at,timezones,zone_source,suppressed_reason," +
  "first_dialed_at,last_dialed_at,answered_at,ended_at,total_attempts,last_provider_call_id,note,plan,company,first_name";
const ATTEMPTS_HEADER = "line,phone,lead_id,attempt_id,attempt_number,queued_at,dialed_at,answered_at,ended_at,duration_sec,outcome,outcome_assumed,in_doubt,provider_call_id,error";

/**
 * A paused campaign half dialed, as the engine leaves one: lead g (line g + 1) was, by g % 10, answered on its
 * only call (0), left a voicemail (1), not answered twice and waits for its third (2), answered on its second
 * call (3), on the do-not-call list (4), or not dialed yet (5–9). The counters match the leads.
 */
async function seedCampaign(tenantId: string) {
  const pool = pgPool();
  const t0 = new Date(T0).toISOString().replace("Z", "");
  const {
    rows: [campaign],
  } = await pool.query(
    `INSERT INTO "Campaign" (id, "tenantId", name, status, "totalLeads", "pendingCount", "suppressedCount", "startedAt", "firstDialAt")
     VALUES ('c' || replace(gen_random_uuid()::text, '-', ''), $1, 'Export 200k', 'PAUSED', $2, $3, $4, $5::timestamp - interval '1 minute', $5::timestamp)
     RETURNING id`,
    [tenantId, LEADS, LEADS / 2, LEADS / 10, t0],
  );
  const id = (campaign as { id: string }).id;
  await pool.query(
    `INSERT INTO "Lead" ("tenantId", "campaignId", line, phone, name, timezone, timezones, "zoneSource", "windowKey", variables,
                         status, attempts, "lastOutcome", "lastDurationSec", "nextAttemptAt", "suppressedReason")
     SELECT $1, $2, g + 1, '+1646' || (2000000 + g)::text, 'Lead ' || g,
            CASE WHEN g % 3 = 0 THEN 'America/New_York' END, ARRAY['America/New_York'],
            (CASE WHEN g % 3 = 0 THEN 'FILE' ELSE 'PHONE' END)::"ZoneSource", 'US|America/New_York',
            jsonb_build_object('first_name', 'Ann' || g, 'company', 'Company ' || g % 997, 'note', 'Renewal due, call back after 5pm')
              || CASE WHEN g % 7 <> 0 THEN '{"plan": "pro"}'::jsonb ELSE '{}'::jsonb END,
            (CASE g % 10 WHEN 0 THEN 'COMPLETED' WHEN 1 THEN 'VOICEMAIL' WHEN 2 THEN 'SCHEDULED' WHEN 3 THEN 'COMPLETED' WHEN 4 THEN 'SUPPRESSED' ELSE 'PENDING' END)::"LeadStatus",
            CASE WHEN g % 10 < 2 THEN 1 WHEN g % 10 < 4 THEN 2 ELSE 0 END,
            (CASE g % 10 WHEN 0 THEN 'COMPLETED' WHEN 1 THEN 'VOICEMAIL' WHEN 2 THEN 'NO_ANSWER' WHEN 3 THEN 'COMPLETED' END)::"CallOutcome",
            CASE g % 10 WHEN 0 THEN 45 WHEN 1 THEN 20 WHEN 3 THEN 45 END,
            CASE WHEN g % 10 = 2 THEN $3::timestamp + interval '1 day' END,
            CASE WHEN g % 10 = 4 THEN 'on your do-not-call list' END
     FROM generate_series(1, $4::int) g`,
    [tenantId, id, t0, LEADS],
  );
  await pool.query(
    `INSERT INTO "CallAttempt" (id, "tenantId", "campaignId", "leadId", "attemptNumber", "queuedAt", "requestedAt", "dialedAt", "answeredAt", "endedAt",
                                outcome, "providerCallId", "providerStatus")
     SELECT gen_random_uuid()::text, l."tenantId", l."campaignId", l.id, n, x.d - interval '2 seconds', x.d - interval '1 second', x.d,
            CASE WHEN x.o IN ('COMPLETED', 'VOICEMAIL') THEN x.d + interval '5 seconds' END,
            x.d + CASE x.o WHEN 'COMPLETED' THEN interval '50 seconds' WHEN 'VOICEMAIL' THEN interval '25 seconds' ELSE interval '30 seconds' END,
            x.o::"CallOutcome", 'CA' || (l.line - 1) || '-' || n, CASE WHEN x.o = 'NO_ANSWER' THEN 'no-answer' ELSE 'completed' END
     FROM "Lead" l
     CROSS JOIN generate_series(1, l.attempts) n
     CROSS JOIN LATERAL (
       SELECT $2::timestamp + (l.line - 1) * interval '100 milliseconds' + (n - 1) * interval '30 minutes' AS d,
              CASE WHEN n < l.attempts THEN 'NO_ANSWER' ELSE l."lastOutcome"::text END AS o
     ) x
     WHERE l."campaignId" = $1 AND l.attempts > 0`,
    [id, t0],
  );
  await pool.query(`ANALYZE "Lead"; ANALYZE "CallAttempt"`);
  return id;
}

/** The results row of lead g, from the seed's rules. */
function resultRow(g: number) {
  const d = g % 10;
  const calls = callsOf(g);
  const last = calls[calls.length - 1];
  const answered = [...calls].reverse().find((c) => c.answeredAt);
  return [
    String(g + 1),
    phoneOf(g),
    `Lead ${g}`,
    g % 3 === 0 ? "America/New_York" : "",
    ["completed", "voicemail", "scheduled", "completed", "suppressed"][d] ?? "pending",
    String(calls.length),
    last?.outcome ?? "",
    last?.durationSec ?? "",
    d === 2 ? iso(T0 + 24 * 60 * MIN) : "",
    "America/New_York",
    g % 3 === 0 ? "file" : "phone",
    d === 4 ? "on your do-not-call list" : "",
    calls[0]?.dialedAt ?? "",
    last?.dialedAt ?? "",
    answered?.answeredAt ?? "",
    last?.endedAt ?? "",
    String(calls.length),
    last?.providerCallId ?? "",
    '"Renewal due, call back after 5pm"',
    g % 7 === 0 ? "" : "pro",
    `Company ${g % 997}`,
    `Ann${g}`,
  ].join(",");
}

/** The attempts row of lead g's call n without its lead and attempt ids. */
function attemptRow(g: number, n: number) {
  const c = callsOf(g)[n - 1]!;
  return [String(g + 1), phoneOf(g), String(n), c.queuedAt, c.dialedAt, c.answeredAt, c.endedAt, c.durationSec, c.outcome, "false", "false", c.providerCallId, ""].join(",");
}

function callsOf(g: number) {
  const d = g % 10;
  const count = d < 2 ? 1 : d < 4 ? 2 : 0;
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const outcome = n < count ? "no_answer" : (["completed", "voicemail", "no_answer", "completed"][d] as string);
    const dialed = T0 + g * 100 + i * 30 * MIN;
    const answered = outcome === "no_answer" ? null : dialed + 5_000;
    const talk = outcome === "completed" ? 45 : 20;
    return {
      outcome,
      queuedAt: iso(dialed - 2_000),
      dialedAt: iso(dialed),
      answeredAt: answered === null ? "" : iso(answered),
      endedAt: iso(answered === null ? dialed + 30_000 : answered + talk * 1000),
      durationSec: answered === null ? "" : String(talk),
      providerCallId: `CA${g}-${n}`,
    };
  });
}

/** The line of the next lead after `line` that was dialed (g % 10 < 4). */
function nextDialedLine(line: number) {
  let g = Math.max(line, 1);
  while (g % 10 >= 4) g++;
  return g + 1;
}

function phoneOf(g: number) {
  return `+1646${2_000_000 + g}`;
}

function iso(ms: number) {
  return new Date(ms).toISOString();
}

function results(key: string, id: string) {
  return exportRoute(new Request(`http://test/api/v1/campaigns/${id}/export`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id }) });
}

function attempts(key: string, id: string) {
  return attemptsExportRoute(new Request(`http://test/api/v1/campaigns/${id}/attempts/export`, { headers: { authorization: `Bearer ${key}` } }), { params: Promise.resolve({ id }) });
}

type ReadOptions = { onHeader?: (header: string) => void; onRow?: (row: string) => void; stopAfter?: number };
type Read = { rows: number; bytes: number; peakLive: number; peakRss: number; stallGrowth: number };

/**
 * Reads a response body chunk by chunk as a slow client does: it stalls 1.5 s early on (well inside the first
 * batch, so a streaming export has nothing to fetch) and briefly every 20,000 rows, measuring live memory after
 * a full GC and resident memory against what the process held before the request. `stopAfter` hangs up.
 */
async function readBody(res: Response, { onHeader, onRow, stopAfter = Infinity }: ReadOptions): Promise<Read> {
  expect(res.status).toBe(200);
  const before = live();
  const rssBefore = process.memoryUsage.rss();
  const read: Read = { rows: 0, bytes: 0, peakLive: 0, peakRss: 0, stallGrowth: 0 };
  const sample = (collect: boolean) => {
    if (collect) read.peakLive = Math.max(read.peakLive, live() - before);
    read.peakRss = Math.max(read.peakRss, process.memoryUsage.rss() - rssBefore);
  };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let rest = "";
  let lines = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    read.bytes += value.byteLength;
    const text = rest + decoder.decode(value, { stream: true });
    let start = 0;
    for (let end = text.indexOf("\r\n"); end >= 0; end = text.indexOf("\r\n", start)) {
      const line = text.slice(start, end);
      start = end + 2;
      if (lines === 0) onHeader?.(line);
      else onRow?.(line);
      read.rows = lines++;
      if (read.rows >= stopAfter) {
        await reader.cancel();
        return read;
      }
      if (stopAfter < Infinity) continue;
      if (lines === 1_000) {
        const atStall = live();
        await sleep(1_500);
        read.stallGrowth = live() - atStall;
      } else if (lines % 20_000 === 0) {
        await sleep(50);
        sample(true);
      } else if (lines % 1_000 === 0) sample(false);
    }
    rest = text.slice(start);
  }
  expect(rest).toBe("");
  sample(true);
  return read;
}

function expectBoundedMemory(read: Read) {
  const mb = (n: number) => `${n < 0 ? "" : "+"}${(n / 2 ** 20).toFixed(1)} MB`;
  const said = `CSV ${mb(read.bytes)}; peak live ${mb(read.peakLive)}, peak RSS ${mb(read.peakRss)}, during the stall ${mb(read.stallGrowth)}`;
  expect(read.peakLive, said).toBeLessThan(read.bytes * LIVE_SHARE);
  expect(read.stallGrowth, said).toBeLessThan(STALL_BOUND);
  expect(read.peakRss, said).toBeLessThan(RSS_BOUND);
}

/** Heap and buffers still referenced: after a full collection, garbage does not count. */
function live() {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A full collection on demand without a flag on the test command: the sample then counts what is live. */
function exposeGc(): () => void {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
}
