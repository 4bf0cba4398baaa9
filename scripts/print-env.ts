// Prints `export KEY=value` lines for a profile's services, keeping any URL the caller already set.
import { profileUrls, PROFILES } from "./profiles";

const name = (process.argv[2] ?? "dev") as keyof typeof PROFILES;
for (const [key, value] of Object.entries(profileUrls(name))) {
  console.log(`export ${key}=${JSON.stringify(process.env[key] || value)}`);
}
