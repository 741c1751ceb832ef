// The built-in mail server's commands and events (`mailServer.*`). Filled in by the mail server work.
export const mailServerCommands = {};
export const mailServerEvents = {};
