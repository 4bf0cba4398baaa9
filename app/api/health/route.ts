// GET /api/health — 200 when Postgres and Redis answer, 503 naming what failed otherwise
import { checkHealth } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await checkHealth();
  const ok = health.db === "ok" && health.redis === "ok";
  return Response.json(health, { status: ok ? 200 : 503 });
}
