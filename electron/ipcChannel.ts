/**
 * The one IPC channel frames travel on, in both directions. Shared by main and
 * preload; kept in its own file so neither pulls the other's imports.
 */
export const FRAME_CHANNEL = 'playground:frame';
