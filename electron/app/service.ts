import type { Service } from '../service';
import { type FolderChooser, folderChoosing } from './chooseFolder';
import { exercisesFolder, listExercises } from './exercises';
import { createFolder } from './createFolder';
import { appVersion, productName } from './version';

/** What only the desktop app can do for the page; browser mode passes nothing. */
export interface DesktopAbilities {
  /** The native folder dialog behind `app.chooseFolder`. */
  readonly chooseFolder?: FolderChooser | undefined;
}

/**
 * `app.info`, `app.ping`, `app.chooseFolder` and `app.exercises`, and the 1 Hz `clock.tick` that proves
 * the event path. `desktop` holds what the Electron shell injects (a folder dialog).
 */
export function appServiceWith(desktop: DesktopAbilities = {}): Service {
  return (session) => {
    let seq = 0;
    const timer = setInterval(() => session.emit('clock.tick', { now: Date.now(), seq: seq++ }), 1000);
    timer.unref();
    session.own({ close: () => clearInterval(timer) }, { socket: false });

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
      'app.chooseFolder': folderChoosing(desktop.chooseFolder),
      'app.exercises': async () => listExercises(await exercisesFolder()),
      'app.createFolder': (request) => createFolder(request),
    };
  };
}

/** The app service as browser mode (and every test host) runs it: no folder dialog. */
export const appService: Service = appServiceWith();
