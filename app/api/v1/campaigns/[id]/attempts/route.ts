// GET /api/v1/campaigns/{id}/attempts — a campaign's call attempts, a page at a time (?outcome=&from=&to=&cursor=&limit=)
import { apiRoute } from "@/lib/api/handler";
import { serializeAttempt } from "@/lib/attempts/attempt-json";
import { listAttempts } from "@/lib/attempts/data";
import { attemptsQuerySchema } from "@/lib/attempts/schema";

export const GET = apiRoute<{ id: string }>(async ({ req, tenantId, params }) => {
  // An empty parameter (`?outcome=`) means "not given", as it does in an HTML form.
  const given = [...new URL(req.url).searchParams].filter(([, value]) => value !== "");
  const query = attemptsQuerySchema.parse(Object.fromEntries(given));
  const { attempts, nextCursor } = await listAttempts(tenantId, params.id, query);
  return Response.json({ attempts: attempts.map(serializeAttempt), nextCursor });
});
