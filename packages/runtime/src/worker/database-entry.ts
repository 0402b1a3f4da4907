/** Loaded by a module worker only when its module uses a database (keeps Kysely out of the others). */
export { openModuleDatabase } from "@starstreamer/storage";
