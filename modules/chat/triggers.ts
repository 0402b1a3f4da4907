import { command, cooldown, type Trigger, type UserLevel, userLevel } from "starstreamer";

/** The settings every chat command has (see config.ts). */
export interface CommandSettings {
  enabled: boolean;
  aliases: string[];
  userLevel: UserLevel;
  cooldown: {
    user?: string | number | undefined;
    global?: string | number | undefined;
    notify?: boolean | undefined;
  };
}

/**
 * The triggers of one chat command from its settings: the command (with the module's prefix, when
 * set, and its aliases), the user level when above viewer, and the cooldown when one is set. The
 * config check builds them too, so a bad alias, level or duration fails at load with the SDK's message.
 * @throws StarStreamerError `SS_TRIGGER_INVALID` for settings the SDK refuses.
 */
export function commandTriggers(
  name: string,
  settings: CommandSettings,
  prefix: string | undefined,
): Trigger[] {
  const triggers: Trigger[] = [
    command(
      name,
      prefix === undefined ? { aliases: settings.aliases } : { aliases: settings.aliases, prefix },
    ),
  ];
  if (settings.userLevel !== "viewer") triggers.push(userLevel(settings.userLevel));
  const { user, global, notify } = settings.cooldown;
  if (user !== undefined || global !== undefined) {
    triggers.push(
      cooldown({
        ...(user === undefined ? {} : { user }),
        ...(global === undefined ? {} : { global }),
        notify: notify ?? false,
      }),
    );
  }
  return triggers;
}
