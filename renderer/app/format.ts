import type { ConnectionState, TransportLabel } from '../transport/connection';

export function transportName(transport: TransportLabel): string {
  return transport === 'electron' ? 'Electron' : 'Browser (WebSocket)';
}

/** The short word(s) for the status bar; details (attempt, reason) are shown beside it. */
export function connectionHeadline(state: ConnectionState): string {
  switch (state.status) {
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return 'Connected';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'unreachable':
      return 'Cannot reach the host';
    case 'stopped':
      return 'Disconnected';
  }
}

export function connectionDetail(state: ConnectionState): string {
  if (state.status === 'connected' || state.status === 'stopped') return '';
  const parts: string[] = [];
  if (state.attempt > 1 || state.status === 'reconnecting') parts.push(`attempt ${state.attempt}`);
  if (state.reason) parts.push(state.reason);
  return parts.join(' — ');
}

const platformNames: Record<string, string> = { linux: 'Linux', darwin: 'macOS', win32: 'Windows' };

export function platformName(platform: string, arch: string): string {
  return `${platformNames[platform] ?? platform} ${arch}`;
}

/**
 * The app's one time of day: 24-hour HH:MM:SS in the viewer's time zone, the same in every
 * locale, with milliseconds (HH:MM:SS.mmm) where timing matters.
 */
export function clockTime(epochMs: number, options: { milliseconds?: boolean } = {}): string {
  const date = new Date(epochMs);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return options.milliseconds ? `${time}.${pad(date.getMilliseconds(), 3)}` : time;
}

export function milliseconds(ms: number): string {
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}
