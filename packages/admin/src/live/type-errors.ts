import type { TypeErrorView } from "../api/schemas.ts";

/** One background type-check of a module, as the CLI's type checker reports it. */
export interface TypeCheckReport {
  module: string;
  diagnostics: TypeErrorView[];
}

/** At most this many type errors are kept per module (the page shows them all). */
const MAX_PER_MODULE = 50;

/**
 * The latest type-check result of each module: the page shows them under the module's card
 * (a new version runs even with type errors; they are advice, not a failure).
 */
export class TypeErrors {
  readonly #byModule = new Map<string, TypeErrorView[]>();

  /** Replaces a module's type errors with a new check's (an empty list clears them). */
  set(report: TypeCheckReport): void {
    if (report.diagnostics.length === 0) this.#byModule.delete(report.module);
    else this.#byModule.set(report.module, report.diagnostics.slice(0, MAX_PER_MODULE));
  }

  /** A module's type errors from its last check. */
  of(module: string): TypeErrorView[] {
    return this.#byModule.get(module) ?? [];
  }
}
