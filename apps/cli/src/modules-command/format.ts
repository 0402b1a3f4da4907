import type { ModuleView, StatsView } from "@starstreamer/admin";

// The terminal's version of the /modules page: the same figures, in the same words.

const ms = (value: number | null) =>
  value === null ? "–" : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

function connection(c: StatsView["connections"]["twitch"]): string {
  if (!c.configured) return "not configured";
  return `${c.state}${c.kind ? ` (${c.kind})` : ""}`;
}

/** The page's header line. */
export function formatStats(stats: StatsView): string {
  const r = stats.reloads;
  return [
    `${stats.total} modules: ${stats.loaded} loaded, ${stats.enabled} enabled, ${stats.failed} failed`,
    `reloads: ${r.successful} ok, ${r.failed} failed${r.lastDurationMs !== null ? `, last ${ms(r.lastDurationMs)}` : ""}`,
    `Twitch ${connection(stats.connections.twitch)}, OBS ${connection(stats.connections.obs)}`,
  ].join("; ");
}

function lastReload(m: ModuleView): string {
  if (!m.lastReload) return "never";
  return `${m.lastReload.ok ? "ok" : "failed"} in ${ms(m.lastReload.durationMs)}`;
}

/** The module cards as a table, with each module's problems under its row. */
export function formatModules(modules: ModuleView[]): string {
  if (modules.length === 0) return "  no modules yet: add a folder under modules/";
  const header = [
    "name",
    "version",
    "state",
    "handlers",
    "events",
    "errors",
    "p50 / p99",
    "memory",
    "last reload",
  ];
  const rows = modules.map((m) => [
    m.name,
    m.version ?? "–",
    m.state,
    String(m.handlers.length),
    String(m.eventsHandled),
    String(m.errors),
    `${ms(m.handlerP50Ms)} / ${ms(m.handlerP99Ms)}`,
    m.heapUsedMb === null ? "–" : `${m.heapUsedMb} MB`,
    lastReload(m),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")}`.trimEnd();
  const out = [line(header)];
  modules.forEach((m, i) => {
    out.push(line(rows[i]!));
    for (const problem of problems(m)) out.push(`      ! ${problem}`);
  });
  return out.join("\n");
}

/** What the page's "Errors" section of a card says. */
export function problems(m: ModuleView): string[] {
  const out: string[] = [];
  if (m.reason) out.push(m.reason);
  if (m.lastReload && !m.lastReload.ok && m.lastReload.error) {
    out.push(`last reload failed (the previous version keeps serving): ${m.lastReload.error}`);
  }
  if (m.lastError) {
    out.push(
      `last handler error${m.lastError.handler ? ` in ${m.lastError.handler}` : ""}: ${m.lastError.message}`,
    );
  }
  if (m.typeErrors.length > 0) {
    out.push(
      `${m.typeErrors.length} type error${m.typeErrors.length > 1 ? "s" : ""} (the new version runs anyway):`,
    );
    for (const d of m.typeErrors)
      out.push(`  ${d.file ?? "?"}:${d.line ?? 0}:${d.column ?? 0} TS${d.code} ${d.message}`);
  }
  return out;
}

/** The page's notice after an action. */
export function formatAction(
  action: string,
  result: { module: ModuleView; affected: string[]; reload?: { version: string | null; durationMs: number } },
): string {
  const m = result.module;
  if (action === "reload" && result.reload) {
    return `Reloaded ${m.name} ${result.reload.version ?? ""} in ${ms(result.reload.durationMs)}`.replace(
      "  ",
      " ",
    );
  }
  const also = result.affected.filter((n) => n !== m.name);
  return `${m.name} is ${m.state}${also.length ? ` (also: ${also.join(", ")})` : ""}`;
}
