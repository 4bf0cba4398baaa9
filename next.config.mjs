/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native bits or dynamic requires stay outside the bundle.
  serverExternalPackages: ["pino", "bullmq", "ioredis", "pg", "pg-copy-streams", "@prisma/adapter-pg", "twilio", "csv-parse", "bcryptjs", "prom-client"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
