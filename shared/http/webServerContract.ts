// The built-in web server's commands and events (`webServer.*`). Filled in by the web server work.
export const webServerCommands = {};
export const webServerEvents = {};
