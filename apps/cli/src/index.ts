/**
 * The `starstreamer` command: `dev` (hot reload, supervisor, offline chat), `start`, and
 * `new module`. The `starstreamer` package's bin runs it through `launch.mjs`.
 *
 * @packageDocumentation
 */
export { type Command, HELP, parseCommandLine, type RunFlags } from "./args.ts";
export { frameworkSourceDirs } from "./config/framework-dirs.ts";
export {
  CONFIG_FILES,
  findConfigFile,
  type LoadConfigOptions,
  loadConfig,
  type ResolvedConfig,
  type TwitchCredentials,
} from "./config/load-config.ts";
export { CliErrorCodes, ExitCode, UsageError } from "./errors.ts";
export { type RunHostOptions, runHost } from "./host/run-host.ts";
export { type CliIo, type Launched, main } from "./main.ts";
export { createModule, MODULE_NAME, moduleTemplate } from "./scaffold/new-module.ts";
export {
  EARLY_HOST_ENV,
  type HostProcess,
  type SpawnHostOptions,
  spawnHost,
  startsSupervisedDev,
} from "./supervisor/host-process.ts";
export { runSupervisor, type SupervisorOptions } from "./supervisor/supervisor.ts";
export type { WatchPlan } from "./supervisor/watch-plan.ts";
export { createTerminal, type Terminal } from "./terminal/terminal.ts";
export { createTypeChecker, type TypeChecker, typeCheckJobFile } from "./typecheck/type-checker.ts";
export { isIgnoredPath, isSourceFile } from "./watch/ignore.ts";
export { type ModuleChange, type ModuleWatcher, watchModules } from "./watch/module-watcher.ts";
