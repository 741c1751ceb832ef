import { appService } from './app/service';
import type { Service } from './host/serve';

/** Every service the Node side offers, the same for Electron and browser mode. */
export const services: readonly Service[] = [appService];
