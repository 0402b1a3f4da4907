/** The codes the storage package raises; docs/errors.md gives cause and fix for each. */
export const StorageErrorCodes = {
  /** A SQLite file could not be opened or configured (missing permission, not a database, locked). */
  OPEN_FAILED: "SS_STORAGE_OPEN_FAILED",
  /** A migration threw, or the recorded migrations no longer match the ones given (renamed, removed). */
  MIGRATION_FAILED: "SS_STORAGE_MIGRATION_FAILED",
  /** A module name that cannot be used as a database file name (must match `^[a-z][a-z0-9_-]{0,63}$`). */
  MODULE_NAME_INVALID: "SS_STORAGE_MODULE_NAME_INVALID",
} as const;

/** One of the {@link StorageErrorCodes} values. */
export type StorageErrorCode = (typeof StorageErrorCodes)[keyof typeof StorageErrorCodes];
