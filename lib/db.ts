// One Prisma client per process (cached on globalThis so Next's dev reloads don't leak pools).
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "./env";
import { pgPoolConfig } from "./pg";

function create() {
  // The same timeouts as the plain pool: one slow client or runaway query must not hold a connection.
  const adapter = new PrismaPg(pgPoolConfig(env().DB_POOL_MAX));
  return new PrismaClient({ adapter, omit: { user: { passwordHash: true } } });
}

const g = globalThis as unknown as { fairdialPrisma?: ReturnType<typeof create> };

export const db = g.fairdialPrisma ?? create();
if (env().NODE_ENV !== "production") g.fairdialPrisma = db;

export type Db = typeof db;
