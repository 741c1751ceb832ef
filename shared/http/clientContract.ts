// The raw-request HTTP client's commands and events (`http.*`). Filled in by the HTTP client work.
export const httpClientCommands = {};
export const httpClientEvents = {};
