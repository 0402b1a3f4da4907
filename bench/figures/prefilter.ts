import { performance } from "node:perf_hooks";
import type { StarEvent } from "starstreamer";
import { createEvent } from "starstreamer/internal";
import { type BenchHost, benchModule, startBenchHost } from "../lib/bench-host.ts";
import { type Measured, median, nextTurn, p99, type RunOptions, round, until } from "../lib/figure.ts";

const CHAT = "twitch.chat.message";
const MODULES = 10;

const OPENERS = ["lol", "that was", "ok so", "wait", "honestly", "gg", "no way", "bro", "chat,", "PogChamp"];
const MIDDLES = [
  "the boss fight",
  "your aim today",
  "this song",
  "the mix of items",
  "clip that",
  "the last round",
  "streamer luck",
  "a hype moment",
  "my cat",
  "the chat",
];
const ENDINGS = [
  "is wild",
  "Kappa",
  "!discord",
  "LUL",
  "haha",
  "for real",
  "again?",
  "KEKW",
  "!lurk",
  "monkaS",
];

/** Chat lines no trigger of the mix modules wants (other commands, near-miss words included). */
function quietLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const a = OPENERS[i % OPENERS.length]!;
    const b = MIDDLES[Math.floor(i / OPENERS.length) % MIDDLES.length]!;
    const c = ENDINGS[Math.floor(i / 7) % ENDINGS.length]!;
    return `${a} ${b} ${c} ${i}`;
  });
}

/**
 * Lines that contain a trigger's required text yet must wake nobody (checked, not timed): the
 * pre-filter lets their handlers through and the full triggers must still refuse them.
 */
function nearMissLines(): string[] {
  return Array.from({ length: MODULES }, (_, k) => [
    `that was mix${k}hypeee`,
    `MIX${k}GGG for real`,
    `mix${k}-clip-12 is too short`,
    `xmix${k}-clip-12345 is not a word`,
    `mix${k} hype mix${k} gg`,
  ]).flat();
}

/** Lines each mix module must take, with the module that must take them. */
function matchingLines(): Array<{ text: string; module: number }> {
  const lines: Array<{ text: string; module: number }> = [];
  for (let k = 0; k < MODULES; k++) {
    lines.push({ text: `!mix${k}`, module: k });
    lines.push({ text: `!mix${k}roll 20`, module: k });
    lines.push({ text: `that was mix${k}hype right there`, module: k });
    lines.push({ text: `see MIX${k}-clip-12345 now`, module: k });
  }
  return lines;
}

/**
 * Times `bus.publish` of fresh event objects (built beforehand) and `host.emit` of fresh data,
 * per event, over the varied lines; one sample per pass over the lines.
 */
async function timePublish(
  bench: BenchHost,
  lines: string[],
  samples: number,
  publishUs: number[],
  emitUs: number[],
): Promise<void> {
  for (let s = -5; s < samples; s++) {
    const events: StarEvent[] = lines.map((text) => createEvent(CHAT, bench.chatData(text), "twitch"));
    const data = lines.map((text) => bench.chatData(text));
    await nextTurn();
    let t = performance.now();
    for (const event of events) bench.host.bus.publish(event);
    const publish = ((performance.now() - t) * 1000) / events.length;
    t = performance.now();
    for (const d of data) bench.host.emit(CHAT, d, "twitch");
    const emit = ((performance.now() - t) * 1000) / data.length;
    if (s >= 0) {
      publishUs.push(publish);
      emitUs.push(emit);
    }
  }
}

/**
 * prefilter_us and validation_prefilter_us: main-thread cost per chat event that no trigger
 * wants, with 10 mix modules (50 triggers, 10 regex through the linear-time engine) loaded.
 * Every line is checked first: quiet lines and near misses (a trigger's literal present, the trigger
 * failing) wake no module, matching lines exactly theirs.
 */
export async function measurePrefilter(options: RunOptions): Promise<Measured[]> {
  const samples = options.quick ? 40 : 200;
  const modules = Array.from({ length: MODULES }, (_, k) => ({ from: benchModule("mix"), as: `mix${k}` }));
  const bench = await startBenchHost(modules);
  const lines = quietLines(400);
  const problems: string[] = [];
  const publishUs: number[] = [];
  const emitUs: number[] = [];
  try {
    // Correctness first: quiet and near-miss lines wake nobody, matching lines their module only.
    for (const text of [...lines, ...nearMissLines()]) {
      const routed = bench.host.registry.route(createEvent(CHAT, bench.chatData(text), "twitch"));
      if (routed !== 0) problems.push(`"${text}" woke ${routed} module(s)`);
    }
    const replies: string[] = [];
    bench.twitch.onSend = (text) => replies.push(text);
    const matching = matchingLines();
    for (const { text, module } of matching) {
      const routed = bench.host.registry.route(createEvent(CHAT, bench.chatData(text), "twitch"));
      if (routed !== 1) problems.push(`"${text}" woke ${routed} modules, not mix${module} alone`);
    }
    await until(() => replies.length >= matching.length, 15_000, "every matching line's reply", 5).catch(
      () => undefined,
    );
    bench.twitch.onSend = null;
    for (const { text, module } of matching) {
      const kind = text.startsWith("!")
        ? text.includes("roll")
          ? "roll"
          : "info"
        : text.includes("hype")
          ? "hype"
          : "clip";
      if (!replies.includes(`mix${module} ${kind === "roll" ? "roll 20" : kind}`))
        problems.push(`"${text}" was not answered by mix${module}`);
    }
    if (replies.length !== matching.length)
      problems.push(`${replies.length} replies to ${matching.length} matching lines`);

    await timePublish(bench, lines, samples, publishUs, emitUs);
    for (let k = 0; k < MODULES; k++) {
      const info = bench.host.registry.info(`mix${k}`);
      if (info.queued > 0 || info.dropped > 0) problems.push(`mix${k} got events it should not have`);
    }
  } finally {
    bench.twitch.onSend = null;
    await bench.close();
  }
  // The same set without its 10 regex triggers: what the linear-time regex engine costs.
  const withoutRegex: number[] = [];
  const plain = await startBenchHost(
    Array.from({ length: MODULES }, (_, k) => ({
      from: benchModule("mix"),
      as: `mix${k}`,
      transform: (source: string) =>
        source.replace(/\n {4}on\("twitch\.chat\.message", regex\([\s\S]*?\n {4}\}\);/, ""),
    })),
  );
  try {
    await timePublish(plain, lines, Math.ceil(samples / 2), withoutRegex, []);
  } finally {
    await plain.close();
  }
  const common = {
    unit: "us",
    n: publishUs.length,
    baseline: null,
    ratio: null,
    stand_in: true as const,
    ...(problems.length > 0 ? { problems: problems.slice(0, 5) } : {}),
  };
  return [
    {
      name: "prefilter_us",
      ...common,
      median: round(median(publishUs), 3),
      p99: round(p99(publishUs), 3),
      note: "bus.publish of fresh chat events no trigger wants, 10 mix stand-ins (50 triggers, 10 regex); each sample is the mean over 400 varied lines",
      details: {
        quiet_lines: lines.length,
        near_miss_lines_checked: nearMissLines().length,
        matching_lines_checked: matchingLines().length,
        without_the_10_regex_triggers_us: round(median(withoutRegex), 3),
      },
    },
    {
      name: "validation_prefilter_us",
      ...common,
      median: round(median(emitUs), 3),
      p99: round(p99(emitUs), 3),
      note: "host.emit (zod validation + pre-filter) of the same lines from fresh data objects",
    },
  ];
}
