/** One TypeScript error the job found. */
export interface JobDiagnostic {
  file: string | null;
  line: number | null;
  column: number | null;
  code: number;
  message: string;
}

/** Type-checks one module with what the project's tsc sees around it (see type-check-job.mjs). */
export default function typeCheckModule(input: {
  module: string;
  dir: string;
  root: string;
}): Promise<{ diagnostics: JobDiagnostic[]; durationMs: number; files: number }>;
