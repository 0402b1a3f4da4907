/** Loaded by a module worker only when its module uses a database (keeps Kysely out of the others). */
export { IN_MEMORY_DATA_DIR, openModuleDatabase } from "@starstreamer/storage";
