export * from "./host-plugin.ts";
export * from "./module-apis.ts";
export * from "./obs-api.ts";
export * from "./twitch-api.ts";
