// Fixed local ports and databases per profile; scripts/env.ts turns them into DATABASE_URL / REDIS_URL.
export interface Profile {
  pgPort: number;
  pgUser: string;
  pgPassword: string;
  pgDatabase: string;
  redisPort: number;
  /** Durability off for throwaway test/bench data: faster, and nothing there is worth an fsync. */
  fsync: boolean;
  /**
   * Load pg_stat_statements (with planning time): the benchmark attributes Postgres time to the engine's statements
   * inside a measured window. Off elsewhere: it costs a little on every statement.
   */
  statementStats?: boolean;
}

const base = { pgUser: "fairdial", pgPassword: "fairdial" };

export const PROFILES = {
  dev: { ...base, pgPort: 54329, pgDatabase: "fairdial", redisPort: 63799, fsync: true },
  test: { ...base, pgPort: 54339, pgDatabase: "fairdial_test", redisPort: 63809, fsync: false },
  bench: { ...base, pgPort: 54349, pgDatabase: "fairdial_bench", redisPort: 63819, fsync: false, statementStats: true },
} satisfies Record<string, Profile>;

export function profileUrls(name: keyof typeof PROFILES) {
  const p = PROFILES[name];
  return {
    DATABASE_URL: `postgresql://${p.pgUser}:${p.pgPassword}@127.0.0.1:${p.pgPort}/${p.pgDatabase}`,
    REDIS_URL: `redis://127.0.0.1:${p.redisPort}`,
  };
}
