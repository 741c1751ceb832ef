import type { Service } from '../host/serve';
import { appVersion, productName } from './version';

/** `app.info` and `app.ping`, and the 1 Hz `clock.tick` that proves the event path. */
export const appService: Service = (session) => {
  let seq = 0;
  const timer = setInterval(() => session.emit('clock.tick', { now: Date.now(), seq: seq++ }), 1000);
  timer.unref();
  session.own({ close: () => clearInterval(timer) });

  return {
    'app.info': () => ({
      name: productName,
      version: appVersion,
      platform: process.platform,
      arch: process.arch,
      node: process.versions.node,
      electron: process.versions.electron ?? null,
      transport: session.transport,
    }),
    'app.ping': ({ data }) => ({ data, receivedAt: Date.now() }),
  };
};
