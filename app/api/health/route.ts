// GET /api/health — 200 when Postgres and Redis answer, 503 otherwise; only ok/fail per part (it is public)
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  const ok = health.db === "ok" && health.redis === "ok";
  return Response.json(health, { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
