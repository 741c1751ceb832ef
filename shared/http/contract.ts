import { httpClientCommands, httpClientEvents } from './client/contract';
import { webServerCommands, webServerEvents } from './server/contract';

/** HTTP by hand: the raw-request client (`http.*`) and the built-in web server (`webServer.*`). */
export const httpCommands = { ...httpClientCommands, ...webServerCommands };
export const httpEvents = { ...httpClientEvents, ...webServerEvents };
