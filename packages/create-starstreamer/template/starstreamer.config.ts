import { defineConfig } from "starstreamer";

// Everything has a default: change only what you need. Secrets (Twitch tokens) never go here,
// they come from the environment or .env (see .env.example).
export default defineConfig({
  modulesDir: "modules",
  dataDir: "data",
  commandPrefix: "!",
  logLevel: "info",
  admin: { host: "127.0.0.1", port: 8888 },
  // twitch: { channel: "yourchannel", botLogin: "yourbot" },
});
