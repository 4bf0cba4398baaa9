import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  resolve: { alias: { "@": root } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["lib/**/*.test.ts", "worker/**/*.test.ts", "scripts/**/*.test.ts", "bench/**/*.test.ts"], exclude: ["**/*.int.test.ts", "**/*.cluster.test.ts", "**/node_modules/**"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "worker/**/*.int.test.ts", "app/**/*.int.test.ts", "bench/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
          exclude: ["lib/dispatch/**", "**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Two cores: a couple of files at once; each test owns its tenant and queue prefix.
          maxWorkers: 2,
          setupFiles: [path.join(root, "lib/test/setup-integration.ts")],
        },
      },
      {
        extends: true,
        test: {
          // Against a local Redis Cluster (REDIS_CLUSTER_NODES, started by scripts/test.sh): failover of a master.
          name: "cluster",
          include: ["lib/**/*.cluster.test.ts"],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          fileParallelism: false,
          setupFiles: [path.join(root, "lib/test/setup-integration.ts")],
        },
      },
      {
        extends: true,
        test: {
          // The dispatch engine's end-to-end tests own the scheduler (they cancel other running campaigns and
          // FLUSHALL Redis), so they run on their own, one file at a time, after the other integration tests.
          name: "engine",
          include: ["lib/dispatch/**/*.int.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
          fileParallelism: false,
          setupFiles: [path.join(root, "lib/test/setup-integration.ts")],
        },
      },
    ],
  },
});
