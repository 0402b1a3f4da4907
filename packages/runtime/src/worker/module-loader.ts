import { type BaseModule, MODULE_MARK, SdkErrorCodes, StarStreamerError } from "starstreamer/internal";
import { RuntimeErrorCodes } from "../errors.ts";

/**
 * Imports a module's bundle and instantiates its default export.
 * @throws StarStreamerError `SS_MODULE_EXPORT_INVALID` when the export is not a module class.
 */
export async function importModule(bundleUrl: string, moduleName: string): Promise<BaseModule<unknown>> {
  const exported = ((await import(bundleUrl)) as { default?: unknown }).default;
  const isModuleClass =
    typeof exported === "function" && (exported as unknown as Record<symbol, unknown>)[MODULE_MARK] === true;
  if (!isModuleClass) {
    throw new StarStreamerError(
      RuntimeErrorCodes.MODULE_EXPORT_INVALID,
      `${moduleName}: module.ts must default-export a class extending BaseModule or the result of defineModule(...)`,
    );
  }
  return new (exported as new () => BaseModule<unknown>)();
}

/**
 * Validates the project's config values with the module's schema (when it has one); returns the
 * parsed values, defaults filled in.
 * @throws StarStreamerError `SS_CONFIG_INVALID` naming each bad field as `modules.<name>.config.<path>`.
 */
export function parseModuleConfig(module: BaseModule<unknown>, moduleName: string, raw: unknown): unknown {
  const config: unknown = raw ?? {};
  if (!module.configSchema) return config;
  const parsed = module.configSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) =>
      `modules.${moduleName}.config${issue.path.map((p) => `.${String(p)}`).join("")}: ${issue.message}`,
  );
  throw new StarStreamerError(
    SdkErrorCodes.CONFIG_INVALID,
    `config of ${moduleName} is not valid: ${problems.join("; ")}`,
    { data: { problems } },
  );
}

/** An open module database: the Kysely handle and how to close it. */
export interface OpenedDatabase {
  db: unknown;
  close(): Promise<void>;
}

/**
 * Opens the module's own database and runs its pending migrations. The storage entry is imported
 * only here, so workers of modules without a database never load Kysely.
 */
export async function openDatabase(options: {
  databaseEntryUrl: string;
  dataDir: string;
  moduleName: string;
  module: BaseModule<unknown>;
}): Promise<OpenedDatabase> {
  const storage = (await import(options.databaseEntryUrl)) as typeof import("./database-entry.ts");
  return await storage.openModuleDatabase({
    dataDir: options.dataDir,
    module: options.moduleName,
    migrations: (options.module.migrations ?? {}) as Parameters<
      typeof storage.openModuleDatabase
    >[0]["migrations"],
  });
}
