import type { Figure } from "./figure.ts";

function show(value: number | null | undefined): string {
  if (value === null || value === undefined) return "-";
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(Math.abs(value) >= 1 ? 2 : 3);
}

/** The results as a Markdown table (what docs/performance.md keeps). */
export function markdownTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const baseline = f.baseline ? `${f.baseline.name}: ${show(f.baseline.median)}` : "-";
    const status = f.error ? `not measured: ${f.error}` : f.met ? "met" : "**missed**";
    return `| \`${f.name}\`${f.stand_in ? " (stand-in)" : ""} | ${show(f.median)} | ${show(f.p99)} | ${f.unit} | ${f.n} | ${baseline} | ${show(f.ratio)} | ${f.target} | ${status} |`;
  });
  return [
    "| figure | median | p99 | unit | n | baseline (same run) | ratio | target | |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** Prints the table and the environment to stdout. */
export function printTable(result: {
  node: string;
  cpus: number;
  mode: string;
  duration_s: number;
  figures: Figure[];
}): void {
  process.stdout.write(
    `\nStarStreamer benchmarks (${result.mode}), node ${result.node}, ${result.cpus} cpus, ${result.duration_s} s\n\n`,
  );
  process.stdout.write(`${markdownTable(result.figures)}\n\nwritten to bench/results/latest.json\n`);
}
