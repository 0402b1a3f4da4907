import { command, on } from "starstreamer";

on("twitch.follow", async function welcomeFollower(event, { twitch }) {
  await twitch.sendMessage(`Welcome ${event.data.user.displayName}! Thanks for following!`);
});

on("twitch.chat.message", command("!greet"), async function greet(event, { twitch }) {
  await twitch.sendMessage(`Hello ${event.data.user.displayName}! 👋`);
});
