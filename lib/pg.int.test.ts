import { Readable } from "node:stream";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "./db";
import { importCampaign } from "./imports/import";
import { pgPool, pgPoolConfig } from "./pg";
import { createTenant } from "./test/factories";

const pools: pg.Pool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

function pool(role: "web" | "worker") {
  const p = new pg.Pool(pgPoolConfig(1, role));
  pools.push(p);
  return p;
}

async function show(p: pg.Pool, name: string): Promise<string> {
  const { rows } = await p.query<Record<string, string>>(`SHOW ${name}`);
  return rows[0]![name]!;
}

describe("Postgres pool settings", () => {
  it("end sessions left idle in a transaction after 1 min, in both pools; only the web pool limits statements (30 s)", async () => {
    for (const [role, statementTimeout] of [["web", "30s"], ["worker", "0"]] as const) {
      const p = pool(role);
      expect(await show(p, "idle_in_transaction_session_timeout")).toBe("1min");
      expect(await show(p, "statement_timeout")).toBe(statementTimeout);
    }
    // Prisma's pool (lib/db.ts) gets the same settings.
    const [row] = await db.$queryRawUnsafe<{ idle_in_transaction_session_timeout: string }[]>("SHOW idle_in_transaction_session_timeout");
    expect(row!.idle_in_transaction_session_timeout).toBe("1min");
  });

  it("a web statement running past the timeout is cancelled, unless its transaction lifts the limit as an import does", async () => {
    // The web setting with a shorter limit, so the test need not sleep 30 s.
    const p = new pg.Pool({ ...pgPoolConfig(1, "web"), statement_timeout: 200 });
    pools.push(p);
    await expect(p.query("SELECT pg_sleep(0.5)")).rejects.toMatchObject({ code: "57014" });
    const client = await p.connect();
    try {
      await client.query("BEGIN");
      await client.query(`SELECT set_config('statement_timeout', $1, true)`, ["5000"]);
      await expect(client.query("SELECT pg_sleep(0.5)")).resolves.toBeDefined();
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  });

  it("an import that cannot get a connection within 10 s fails with server_busy (503) instead of waiting forever", { timeout: 30_000 }, async () => {
    const tenant = await createTenant();
    const held = await Promise.all(Array.from({ length: Number(process.env.PG_POOL_MAX ?? 10) }, () => pgPool().connect()));
    try {
      const err = await importCampaign({ tenantId: tenant.id, options: { name: "Busy", defaultCountry: "US" }, source: Readable.from(["phone\n+12125550100\n"]) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "server_busy", message: expect.stringContaining("too busy") });
    } finally {
      for (const c of held) c.release();
    }
    expect(await db.campaign.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});
