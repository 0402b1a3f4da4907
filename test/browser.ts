import { type Browser, chromium } from "playwright-core";

/**
 * Debian's Chromium, headless, with the flags that keep it off the network (this machine has no
 * internet; without them Chromium keeps trying Google's hosts). Never a downloaded browser.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}
