// GET /api/metrics — Prometheus metrics; needs `Authorization: Bearer $METRICS_TOKEN` (disabled when unset)
import { createHash, timingSafeEqual } from "node:crypto";
import { renderMetrics } from "@/lib/admin/metrics";
import { apiError } from "@/lib/api/handler";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET(req: Request) {
  const token = env().METRICS_TOKEN;
  if (!token) return apiError(404, "not_found", "Metrics are disabled: set METRICS_TOKEN to enable them.");
  const given = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(sha256(given), sha256(token))) {
    return apiError(401, "unauthorized", "Send `Authorization: Bearer <METRICS_TOKEN>`.");
  }
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { "content-type": contentType } });
}

// Equal-length digests: comparing them takes the same time whatever was sent, so neither the token's
// characters nor its length can be learned by timing the answer.
function sha256(text: string) {
  return createHash("sha256").update(text).digest();
}
