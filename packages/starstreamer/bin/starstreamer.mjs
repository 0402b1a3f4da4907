#!/usr/bin/env node
// The `starstreamer` command. Plain JavaScript so that it runs before any TypeScript loader is in
// place; the CLI package registers tsx and takes it from there.
import "@starstreamer/cli/launch";
