import type { Figure } from "./figure.ts";

function show(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(Math.abs(value) >= 1 ? 2 : 3);
}

/** The status cell of a figure: met, missed, not measured, or its problems. */
export function status(f: Figure): string {
  if (f.error) {
    const first = f.error.split("\n")[0]!;
    return `not measured: ${first.length > 160 ? `${first.slice(0, 157)}...` : first}`;
  }
  if (f.problems?.length) return `**failed**: ${f.problems.join("; ")}`;
  if (f.met === null) return "-";
  return f.met ? "met" : "**missed**";
}

/** The results as a Markdown table (what docs/performance.md keeps). */
export function markdownTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const baseline = f.baseline ? `${f.baseline.name}: ${show(f.baseline.median)}` : "-";
    const label = `\`${f.name}\`${f.variant ? ` ${f.variant}` : ""}${f.stand_in ? " (stand_in)" : ""}`;
    return `| ${label} | ${show(f.median)} | ${show(f.p99)} | ${f.unit} | ${f.n} | ${baseline} | ${show(f.ratio)} | ${f.target} | ${status(f)} |`;
  });
  return [
    "| figure | median | p99 | unit | n | baseline (same run) | ratio | target | |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The machine and run a table comes from, in one line. */
export function describeRun(result: {
  node: string;
  cpus: number;
  cpu_model: string;
  platform: string;
  mode: string;
  date: string;
  duration_s: number;
  load_avg?: number[];
  /** Figures measured again in a later run and merged into this result (`--only` + `--write-docs`). */
  rerun?: { figures: string[]; date: string; duration_s: number; load_avg?: number[] };
}): string {
  const load = result.load_avg
    ? `, load average at start ${result.load_avg.map((l) => l.toFixed(1)).join(" ")}`
    : "";
  const again = result.rerun;
  const rerun = again
    ? `; ${again.figures.map((n) => `\`${n}\``).join(", ")} from a later ${result.mode} run of ${again.duration_s} s${again.load_avg ? ` (load average at start ${again.load_avg.map((l) => l.toFixed(1)).join(" ")})` : ""}`
    : "";
  return `Node ${result.node}, ${result.cpus} x ${result.cpu_model}, ${result.platform}, ${result.mode} run of ${result.duration_s} s on ${result.date.slice(0, 10)}${load}${rerun}`;
}

/** Prints the table and the environment to stdout. */
export function printTable(result: Parameters<typeof describeRun>[0] & { figures: Figure[] }): void {
  process.stdout.write(`\nStarStreamer benchmarks: ${describeRun(result)}\n\n`);
  process.stdout.write(`${markdownTable(result.figures)}\n\nwritten to bench/results/latest.json\n`);
}
