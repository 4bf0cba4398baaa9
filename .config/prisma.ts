import path from "node:path";
import { defineConfig } from "prisma/config";
import { cliAdapter } from "../prisma/cli-adapter";

// `prisma generate` needs only a syntactically valid URL; migrate commands need the real one.
process.env.DATABASE_URL ??= "postgresql://fairdial:fairdial@127.0.0.1:54329/fairdial";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("..", "prisma", "schema.prisma"),
  migrations: { path: path.join("..", "prisma", "migrations"), seed: "tsx prisma/seed.ts" },
  async adapter() {
    return cliAdapter(process.env.DATABASE_URL!);
  },
});
