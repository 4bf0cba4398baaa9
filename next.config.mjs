/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "pg-copy-streams", "@prisma/adapter-pg", "twilio", "csv-parse", "bcryptjs", "prom-client"],
  poweredByHeader: false,
  // Lets parallel builds (e.g. a second checkout's tests) use their own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;
