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
        test: { name: "unit", include: ["lib/**/*.test.ts", "worker/**/*.test.ts", "scripts/**/*.test.ts"], exclude: ["**/*.int.test.ts", "**/node_modules/**"] },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["lib/**/*.int.test.ts", "worker/**/*.int.test.ts", "app/**/*.int.test.ts", "bench/**/*.int.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Two cores: a couple of files at once; each test owns its tenant and queue prefix.
          maxWorkers: 2,
          setupFiles: [path.join(root, "lib/test/setup-integration.ts")],
        },
      },
    ],
  },
});
