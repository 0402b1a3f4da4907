#!/usr/bin/env node
// The `create-starstreamer` command, run by `npm create starstreamer@latest [folder]`.
import { createInterface } from "node:readline/promises";
import { runCreate } from "./run-create.ts";

const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
process.exitCode = await runCreate(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  interactive,
  async ask(question) {
    const readline = createInterface({ input: process.stdin, output: process.stdout });
    try {
      return await readline.question(question);
    } finally {
      readline.close();
    }
  },
});
