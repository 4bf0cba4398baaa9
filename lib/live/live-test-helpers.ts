// Test support for the live views: an SSE reader and a campaign with a few leads.
import { db } from "../db";
import { uniqueId } from "../test/factories";

export interface SseEvent {
  event: string;
  data: string;
}

/** Reads the events of an SSE body as they come; `next()` waits for the next one (null once the stream ended). */
export function sseReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let ended = false;
  return {
    get ended() {
      return ended;
    },
    async next(timeoutMs = 10_000): Promise<SseEvent | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const end = buffer.indexOf("\n\n");
        if (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n");
          const event = lines.find((l) => l.startsWith("event: "))?.slice(7);
          if (!event) continue; // retry:, heartbeat comments
          return { event, data: lines.find((l) => l.startsWith("data: "))?.slice(6) ?? "" };
        }
        if (ended) return null;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no SSE event within ${timeoutMs} ms`);
        const chunk = await Promise.race([reader.read(), new Promise<"timeout">((r) => setTimeout(() => r("timeout"), left))]);
        if (chunk === "timeout") throw new Error(`no SSE event within ${timeoutMs} ms`);
        if (chunk.done) ended = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    /** Waits for a `progress` event whose snapshot passes `test`. */
    async until<T>(test: (snapshot: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = await this.next(Math.max(1, deadline - Date.now()));
        if (!e) throw new Error("stream ended");
        if (e.event === "progress" && test(JSON.parse(e.data) as T)) return JSON.parse(e.data) as T;
      }
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

export async function campaignWithLeads(tenantId: string, pending: number) {
  const campaign = await db.campaign.create({ data: { tenantId, name: uniqueId("live"), status: "PAUSED" } });
  await db.lead.createMany({
    data: Array.from({ length: pending }, (_, i) => ({ tenantId, campaignId: campaign.id, line: i + 2, phone: `+1212555${String(i).padStart(4, "0")}`, status: "PENDING" as const })),
  });
  await db.campaign.update({ where: { id: campaign.id }, data: { totalLeads: pending } });
  return campaign;
}

export function createUser(tenantId: string) {
  return db.user.create({ data: { tenantId, email: `${uniqueId("viewer")}@example.test`, name: "Viewer", passwordHash: "x" } });
}
