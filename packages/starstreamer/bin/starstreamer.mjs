#!/usr/bin/env node
// Repository-only path kept for the tests and benchmarks that start the command from here (it is
// not published: the `starstreamer` command is the bin of @starstreamer/cli, apps/cli/launch.mjs).
import "@starstreamer/cli/launch";
