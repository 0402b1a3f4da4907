import type { LogRecord } from "@starstreamer/runtime";

/**
 * What the CLI remembers about module changes it made itself: which modules it is changing right
 * now (their load and failure lines are printed once, in the CLI's words with a duration, so the
 * registry's own lines for them are not printed too), and which modules' last reload failed (so
 * `/modules` says the previous version is the one serving).
 */
export class ModuleNotes {
  readonly #changing = new Map<string, number>();
  readonly #failedReloads = new Map<string, string>();

  /** Runs `change` for `module`, marking it as being changed by the CLI meanwhile. */
  async changing<T>(module: string, change: () => Promise<T>): Promise<T> {
    this.#changing.set(module, (this.#changing.get(module) ?? 0) + 1);
    try {
      return await change();
    } finally {
      const left = (this.#changing.get(module) ?? 1) - 1;
      if (left > 0) this.#changing.set(module, left);
      else this.#changing.delete(module);
    }
  }

  /** Records how a reload of `module` went: null when it worked, else the error. */
  reloaded(module: string, error: string | null): void {
    if (error === null) this.#failedReloads.delete(module);
    else this.#failedReloads.set(module, error);
  }

  /** The error of the module's last reload when it failed (the previous version serves), else null. */
  failedReload(module: string): string | null {
    return this.#failedReloads.get(module) ?? null;
  }

  /** True for a registry log line the CLI prints in its own words (see the class comment). */
  printedByCli(record: LogRecord): boolean {
    const module = record.fields.module;
    if (typeof module !== "string") return false;
    if (record.message.startsWith("reload failed")) return true;
    if (!this.#changing.has(module)) return false;
    return record.message.startsWith(`loaded ${module} `) || record.message.startsWith("failed: ");
  }
}
