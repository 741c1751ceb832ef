// The SMTP conversation builder's commands and events (`smtp.*`). Filled in by the SMTP client work.
export const smtpClientCommands = {};
export const smtpClientEvents = {};
