import type { Figure } from "./figure.ts";
import { isCorrectness } from "./targets.ts";

/** What a run's figures mean for its exit code. */
export interface Verdict {
  /** Reasons the run fails: unmeasured figures, lost events, failed reloads, broken invariants. */
  failures: string[];
  /** Missed performance targets: reported, never failing. */
  warnings: string[];
}

const label = (f: Figure) => `${f.name}${f.variant ? ` ${f.variant}` : ""}`;

/**
 * Fails on a figure that could not be measured, on any problem a figure reports (events lost or
 * duplicated, a failed reload, an invariant, a misroute) and on a missed correctness target;
 * only warns on a missed performance target.
 */
export function verdict(figures: Figure[]): Verdict {
  const failures: string[] = [];
  const warnings: string[] = [];
  for (const f of figures) {
    if (f.error || f.median === null) failures.push(`${label(f)}: not measured (${f.error ?? "no value"})`);
    else if (f.problems?.length) failures.push(`${label(f)}: ${f.problems.join("; ")}`);
    else if (f.met === false && isCorrectness(f.name))
      failures.push(`${label(f)}: ${f.median} (target ${f.target})`);
    else if (f.met === false)
      warnings.push(`${label(f)}: ${f.median} / p99 ${f.p99 ?? "-"} (target ${f.target})`);
  }
  return { failures, warnings };
}
