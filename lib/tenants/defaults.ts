// What a tenant gets when it signs itself up. A self-service account is untrusted until an operator says
// otherwise, so it starts with the platform's modest caps (an admin raises them) and, in approval mode,
// with nothing dispatched until a platform admin approves it.
import { env, type Env } from "../env";

export function newTenantDefaults(config: Pick<Env, "TENANT_DEFAULT_MAX_CONCURRENT" | "TENANT_DEFAULT_MAX_CPS" | "SIGNUP_MODE"> = env(), now = new Date()) {
  return {
    maxConcurrent: config.TENANT_DEFAULT_MAX_CONCURRENT,
    maxCps: config.TENANT_DEFAULT_MAX_CPS,
    approvedAt: config.SIGNUP_MODE === "approval" ? null : now,
  };
}
