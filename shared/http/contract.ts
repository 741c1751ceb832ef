import { httpClientCommands, httpClientEvents } from './clientContract';
import { webServerCommands, webServerEvents } from './webServerContract';

/** HTTP by hand: the raw-request client (`http.*`) and the built-in web server (`webServer.*`). */
export const httpCommands = { ...httpClientCommands, ...webServerCommands };
export const httpEvents = { ...httpClientEvents, ...webServerEvents };
