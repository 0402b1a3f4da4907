/** Config files looked for in the project folder, in this order. */
export const CONFIG_FILES = [
  "starstreamer.config.ts",
  "starstreamer.config.mts",
  "starstreamer.config.js",
  "starstreamer.config.mjs",
  "starstreamer.config.json",
];
