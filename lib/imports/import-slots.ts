// How many imports one tenant may run at once (IMPORT_MAX_CONCURRENT_PER_TENANT), enforced inside the import's
// own transaction.
import type { PoolClient } from "pg";
import { ImportError } from "./schema";

/**
 * At most `max` imports of one tenant at a time, as transaction-level advisory locks on slots 0…max-1 rather
 * than a Redis semaphore: the import holds its transaction for its whole life anyway, and Postgres releases
 * the lock with it — at COMMIT, at ROLLBACK, or when the connection of a crashed web process drops — so a slot
 * can never leak, and no expiry has to guess how long an import may run. The cost is a pool connection taken
 * before the refusal, for the few milliseconds it takes.
 */
export async function takeImportSlot(client: PoolClient, tenantId: string, max: number): Promise<void> {
  for (let slot = 0; slot < max; slot++) {
    // A 64-bit hash of the name: a collision (about 1 in 2^64) would only make two tenants share a slot.
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok`, [`fairdial:import:${tenantId}:${slot}`]);
    if (rows[0]!.ok) return;
  }
  throw new ImportError("too_many_imports", `this account already has ${max} imports running, the most it may run at once; wait for one to finish, then try again`);
}
